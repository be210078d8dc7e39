/**
 * What the business's outgoing e-mails say, as plain text and HTML. Every value that comes from a
 * person (names, reasons) is escaped in the HTML part; the subject and the text part carry it
 * as it is. The business's name is in the sender line and the signature, so a customer knows who
 * wrote.
 */
export interface MailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);

/** One layout for every mail: paragraphs, an optional link, the business's name as signature. */
function compose(
  subject: string,
  businessName: string,
  paragraphs: readonly string[],
  link?: { readonly label: string; readonly url: string },
): MailContent {
  const text = [
    ...paragraphs,
    ...(link ? [`${link.label}: ${link.url}`] : []),
    `— ${businessName}`,
  ].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []),
    `<p>— ${escapeHtml(businessName)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export interface RefundNotice {
  readonly businessName: string;
  readonly customerName: string;
  /** Already formatted for people, e.g. "GH₵1,250.00" (formatMoney). */
  readonly amount: string;
  /** What was refunded, e.g. "invoice YS-000012". */
  readonly subject: string;
  readonly reason: string | null;
  readonly portalUrl: string | null;
}

/** "Tell the customer" on a refund: how much, why, and where to see it. */
export function refundNoticeMail(notice: RefundNotice): MailContent {
  return compose(
    `${notice.businessName}: your refund of ${notice.amount}`,
    notice.businessName,
    [
      `Hello ${notice.customerName},`,
      `We have refunded ${notice.amount} for ${notice.subject}. The money goes back the way you paid.`,
      ...(notice.reason ? [`Reason: ${notice.reason}`] : []),
    ],
    notice.portalUrl ? { label: 'See it on your page', url: notice.portalUrl } : undefined,
  );
}

export interface FollowUpNotice {
  readonly businessName: string;
  readonly customerName: string;
  readonly subject: string;
  /** The nudge itself (followUpMessage). */
  readonly message: string;
  readonly portalUrl: string | null;
}

/** An automatic follow-up nudge. */
export function followUpMail(notice: FollowUpNotice): MailContent {
  return compose(
    `${notice.businessName}: ${notice.subject}`,
    notice.businessName,
    [`Hello ${notice.customerName},`, notice.message],
    notice.portalUrl ? { label: 'Open your page', url: notice.portalUrl } : undefined,
  );
}

/** To the owners when a webhook endpoint is switched off after failing for a day. */
export function endpointDisabledMail(notice: {
  readonly businessName: string;
  readonly url: string;
  readonly reason: string;
}): MailContent {
  return compose(`${notice.businessName}: webhook endpoint disabled`, notice.businessName, [
    `We stopped sending events to ${notice.url}.`,
    notice.reason,
    'Fix the receiver, enable the endpoint again in Settings → Webhooks, and resend what it missed from its delivery log.',
  ]);
}
