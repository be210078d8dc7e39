import {
  endpointDisabledMail,
  endpointWants,
  EVENT_TYPES,
  EventType,
  escapeHtml,
  followUpMail,
  isEventType,
  MAX_DELIVERY_ATTEMPTS,
  quoteEventType,
  creditEntryEventType,
  refundNoticeMail,
  retryDelayMs,
  retryWindowMs,
} from './index';

const HOUR = 3_600_000;

describe('retryDelayMs', () => {
  it('waits 1, 3, 9, 27 ... minutes: three times longer after each failure', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n)! / 60_000)).toEqual([
      1, 3, 9, 27, 81, 243, 729,
    ]);
  });

  it('gives up after the last attempt', () => {
    expect(retryDelayMs(MAX_DELIVERY_ATTEMPTS - 1)).not.toBeNull();
    expect(retryDelayMs(MAX_DELIVERY_ATTEMPTS)).toBeNull();
    expect(retryDelayMs(MAX_DELIVERY_ATTEMPTS + 5)).toBeNull();
  });

  it('keeps trying for most of a day, but not for more than one', () => {
    expect(retryWindowMs()).toBeGreaterThan(16 * HOUR);
    expect(retryWindowMs()).toBeLessThanOrEqual(24 * HOUR);
  });

  it('refuses a count that is not a positive whole number', () => {
    expect(() => retryDelayMs(0)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5)).toThrow(RangeError);
  });
});

describe('event types', () => {
  it('are dotted lower-case names, each once', () => {
    for (const type of EVENT_TYPES) expect(type).toMatch(/^[a-z_]+\.[a-z_]+$/);
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(isEventType('quote.refunded')).toBe(true);
    expect(isEventType('quote.exploded')).toBe(false);
    expect(isEventType(42)).toBe(false);
  });

  it('an endpoint with no types gets everything; otherwise only what it names', () => {
    expect(endpointWants([], EventType.CREDIT_REFUNDED)).toBe(true);
    expect(endpointWants(['quote.refunded'], EventType.QUOTE_REFUNDED)).toBe(true);
    expect(endpointWants(['quote.refunded'], EventType.CREDIT_REFUNDED)).toBe(false);
  });
});

describe('mail templates', () => {
  it('tell the customer the amount, the reason and the link, signed by the business', () => {
    const mail = refundNoticeMail({
      businessName: 'Ama Cleaning Co',
      customerName: 'Kofi',
      amount: 'GH₵250.00',
      subject: 'invoice YS-000012',
      reason: 'Cleaner did not come',
      portalUrl: 'https://app.example/c/abc',
    });
    expect(mail.subject).toBe('Ama Cleaning Co: your refund of GH₵250.00');
    expect(mail.text).toContain('We have refunded GH₵250.00 for invoice YS-000012.');
    expect(mail.text).toContain('Reason: Cleaner did not come');
    expect(mail.text).toContain('https://app.example/c/abc');
    expect(mail.text.endsWith('— Ama Cleaning Co')).toBe(true);
    expect(mail.html).toContain('<a href="https://app.example/c/abc">');
    expect(mail.html).toContain('— Ama Cleaning Co');
  });

  it('escape what people typed in the HTML part', () => {
    const mail = followUpMail({
      businessName: 'Tom & Jerry <Ltd>',
      customerName: '<script>alert(1)</script>',
      subject: 'Invoice YS-1',
      message: 'Please pay.',
      portalUrl: null,
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Tom &amp; Jerry &lt;Ltd&gt;');
    expect(mail.text).toContain('Hello <script>alert(1)</script>,');
    expect(mail.html).not.toContain('<a ');
    expect(escapeHtml(`"'`)).toBe('&quot;&#39;');
  });

  it('leave out the reason line when there is none', () => {
    const mail = refundNoticeMail({
      businessName: 'B',
      customerName: 'C',
      amount: '$1.00',
      subject: 'credits',
      reason: null,
      portalUrl: null,
    });
    expect(mail.text).not.toContain('Reason');
  });

  it('tell the owner which endpoint stopped and why', () => {
    const mail = endpointDisabledMail({
      businessName: 'B',
      url: 'https://hooks.example/x',
      reason: 'Deliveries failed for a day.',
    });
    expect(mail.text).toContain('https://hooks.example/x');
    expect(mail.text).toContain('Deliveries failed for a day.');
  });
});

describe('quoteEventType and creditEntryEventType', () => {
  it('name each quote change as third parties hear it', () => {
    expect(quoteEventType('DRAFT', 'SENT')).toBe('quote.sent');
    expect(quoteEventType('SENT', 'ACCEPTED')).toBe('quote.accepted');
    expect(quoteEventType('ACCEPTED', 'PAID')).toBe('quote.paid');
    expect(quoteEventType('PAID', 'ACCEPTED')).toBe('quote.unpaid');
    expect(quoteEventType('SENT', 'VOID')).toBe('quote.voided');
    expect(quoteEventType('PAID', 'REFUNDED', { refund: true })).toBe('quote.refunded');
    expect(quoteEventType('PAID', 'PAID', { refund: true })).toBe('quote.partially_refunded');
    expect(quoteEventType('PAID', 'PAID')).toBeNull();
  });

  it('name each kind of credit entry', () => {
    expect(
      (['PURCHASE', 'SPEND', 'REFUND', 'ADJUSTMENT', 'REVERSAL'] as const).map(
        creditEntryEventType,
      ),
    ).toEqual([
      'credit.purchased',
      'credit.spent',
      'credit.refunded',
      'balance.adjusted',
      'credit.reversed',
    ]);
  });
});
