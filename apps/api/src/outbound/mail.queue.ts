import {
  type Credits,
  creditsToString,
  endpointDisabledMail,
  formatMoney,
  localeForCountry,
  type Money,
  type FollowUpStage,
  followUpMail,
  type MailContent,
  refundNoticeMail,
} from '@refunds/domain';
import type { EntityManager } from 'typeorm';
import { newId } from '../platform/ids';
import { readOutboundSettings } from './outbound.settings';

export type MailKind = 'FOLLOW_UP' | 'REFUND_NOTICE' | 'ENDPOINT_DISABLED';

export interface QueuedMail {
  readonly businessId: string;
  readonly kind: MailKind;
  readonly to: string;
  readonly content: MailContent;
  readonly at: Date;
  /** A follow-up's quote and stage: checked again just before sending (see the delivery worker). */
  readonly followUp?: { readonly quoteId: string; readonly stage: FollowUpStage };
}

/**
 * Queues one e-mail in the caller's transaction: the mail row (what the "Sent mail" screen shows)
 * and its delivery job commit with the change that caused them. Whether it goes out through SMTP
 * or is kept (no SMTP configured) is decided by the process that delivers it.
 */
export async function queueMail(tx: EntityManager, mail: QueuedMail): Promise<string> {
  const id = newId();
  const [business]: Array<{ name: string }> = await tx.query(
    `SELECT name FROM businesses WHERE id = $1`,
    [mail.businessId],
  );
  await tx.query(
    `INSERT INTO outbound_mail (id, business_id, kind, to_address, from_name, subject, text_body,
                                html_body, status, quote_id, follow_up_stage, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'QUEUED', $9, $10, $11)`,
    [
      id,
      mail.businessId,
      mail.kind,
      mail.to,
      business?.name ?? 'Refunds back-office',
      mail.content.subject,
      mail.content.text,
      mail.content.html,
      mail.followUp?.quoteId ?? null,
      mail.followUp?.stage ?? null,
      mail.at,
    ],
  );
  await tx.query(
    `INSERT INTO outbound_jobs (id, business_id, kind, ordering_key, mail_id, status,
                                next_attempt_at, created_at)
     VALUES ($1, $2, 'MAIL', $3, $3, 'PENDING', $4, $4)`,
    [newId(), mail.businessId, id, mail.at],
  );
  return id;
}

interface Recipient {
  readonly businessName: string;
  /** For formatting amounts the way the business's country reads them. */
  readonly locale: string;
  readonly customerName: string;
  readonly email: string | null;
  readonly portalUrl: string;
}

async function recipient(
  tx: EntityManager,
  businessId: string,
  customerId: string,
): Promise<Recipient | null> {
  const [row]: Array<{
    business: string;
    country: string;
    name: string;
    email: string | null;
    token: string;
  }> = await tx.query(
    `SELECT b.name AS business, b.country, c.name, c.email, c.portal_token AS token
         FROM customers c JOIN businesses b ON b.id = c.business_id
        WHERE c.id = $1 AND c.business_id = $2`,
    [customerId, businessId],
  );
  if (!row) return null;
  return {
    businessName: row.business,
    locale: localeForCountry(row.country),
    customerName: row.name,
    email: row.email,
    portalUrl: `${readOutboundSettings().publicUrl}/c/${row.token}`,
  };
}

/**
 * "Tell the customer" on a refund: the amount (formatted as the business's country writes money),
 * what was refunded ("invoice Q-000012", "credits"), the reason and the portal link. Returns null
 * when the customer has no e-mail address. Call it in the refund's own transaction.
 */
export async function queueRefundNotice(
  tx: EntityManager,
  notice: {
    readonly businessId: string;
    readonly customerId: string;
    /** Money, or a number of credits. */
    readonly amount: Money | Credits;
    readonly subject: string;
    readonly reason: string | null;
    readonly at: Date;
  },
): Promise<string | null> {
  const to = await recipient(tx, notice.businessId, notice.customerId);
  if (!to?.email) return null;
  return queueMail(tx, {
    businessId: notice.businessId,
    kind: 'REFUND_NOTICE',
    to: to.email,
    at: notice.at,
    content: refundNoticeMail({
      businessName: to.businessName,
      customerName: to.customerName,
      amount:
        typeof notice.amount === 'bigint'
          ? `${creditsToString(notice.amount)} credits`
          : formatMoney(notice.amount, to.locale),
      subject: notice.subject,
      reason: notice.reason,
      portalUrl: to.portalUrl,
    }),
  });
}

/** An automatic follow-up nudge to the quote's customer; null when they have no e-mail address. */
export async function queueFollowUpMail(
  tx: EntityManager,
  nudge: {
    readonly businessId: string;
    readonly customerId: string;
    readonly quoteId: string;
    readonly stage: FollowUpStage;
    readonly subject: string;
    readonly message: string;
    readonly at: Date;
  },
): Promise<string | null> {
  const to = await recipient(tx, nudge.businessId, nudge.customerId);
  if (!to?.email) return null;
  return queueMail(tx, {
    businessId: nudge.businessId,
    kind: 'FOLLOW_UP',
    to: to.email,
    at: nudge.at,
    followUp: { quoteId: nudge.quoteId, stage: nudge.stage },
    content: followUpMail({
      businessName: to.businessName,
      customerName: to.customerName,
      subject: nudge.subject,
      message: nudge.message,
      portalUrl: to.portalUrl,
    }),
  });
}

/** Tells every owner of the business that an endpoint was switched off. */
export async function queueEndpointDisabledMail(
  tx: EntityManager,
  notice: {
    readonly businessId: string;
    readonly url: string;
    readonly reason: string;
    readonly at: Date;
  },
): Promise<void> {
  const owners: Array<{ email: string; business: string }> = await tx.query(
    `SELECT m.email, b.name AS business FROM members m JOIN businesses b ON b.id = m.business_id
      WHERE m.business_id = $1 AND m.role = 'OWNER' ORDER BY m.created_at, m.id`,
    [notice.businessId],
  );
  for (const owner of owners) {
    await queueMail(tx, {
      businessId: notice.businessId,
      kind: 'ENDPOINT_DISABLED',
      to: owner.email,
      at: notice.at,
      content: endpointDisabledMail({
        businessName: owner.business,
        url: notice.url,
        reason: notice.reason,
      }),
    });
  }
}
