import { isRefundReason, REFUND_REASON_LABELS, RefundReason } from './reason';

describe('refund reason categories', () => {
  it('has a label for every category', () => {
    for (const reason of Object.values(RefundReason)) {
      expect(REFUND_REASON_LABELS[reason]).toMatch(/\S/);
    }
  });

  it('accepts the categories and nothing else', () => {
    expect(isRefundReason('DISPUTE')).toBe(true);
    expect(isRefundReason('dispute')).toBe(false);
    expect(isRefundReason(undefined)).toBe(false);
    expect(isRefundReason('__proto__')).toBe(false);
  });
});
