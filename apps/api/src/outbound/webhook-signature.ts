import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature, in the manner of Stripe's `Stripe-Signature`. */
export const SIGNATURE_HEADER = 'refunds-signature';
/** The delivery's id: the same on every retry of a delivery, so a receiver can drop repeats. */
export const DELIVERY_ID_HEADER = 'refunds-delivery-id';
export const EVENT_TYPE_HEADER = 'refunds-event-type';

const hmac = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the endpoint's secret>`. The
 * timestamp is signed with the body, so a captured delivery cannot be replayed later than the
 * receiver's tolerance.
 */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * What a receiver does (the README shows the same steps): recompute the HMAC over
 * `t + "." + raw body`, compare in constant time, and refuse a timestamp older than `toleranceS`.
 */
export function verifySignature(
  header: string,
  secret: string,
  body: string,
  nowSeconds: number,
  toleranceS = 300,
): boolean {
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const [key, value] = item.split('=', 2);
    if (key && value) parts.set(key.trim(), [...(parts.get(key.trim()) ?? []), value.trim()]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceS) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  return (parts.get('v1') ?? []).some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
