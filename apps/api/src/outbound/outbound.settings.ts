/** How the outbound side reaches the world, from the environment (see the README's table). */
export interface OutboundSettings {
  /**
   * WEBHOOKS_ALLOW_PRIVATE=true lets webhook endpoints be private, loopback or link-local
   * addresses and plain http: for development and tests only, never in production.
   */
  readonly allowPrivateTargets: boolean;
  /** SMTP_URL, e.g. smtp://user:pass@smtp.example.com:587; unset: mail is kept, not sent. */
  readonly smtpUrl: string | undefined;
  /** MAIL_FROM: the sender address; the display name is the business's name. */
  readonly mailFrom: string;
  /** PUBLIC_URL: where customers open their portal page, for links in e-mails. */
  readonly publicUrl: string;
  /** How long a webhook receiver has to answer. */
  readonly webhookTimeoutMs: number;
  /** How often a process looks for due jobs. */
  readonly pollIntervalMs: number;
}

export function readOutboundSettings(env: NodeJS.ProcessEnv = process.env): OutboundSettings {
  return {
    allowPrivateTargets: env.WEBHOOKS_ALLOW_PRIVATE === 'true',
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'no-reply@localhost',
    publicUrl: (env.PUBLIC_URL || `http://localhost:${env.PORT ?? 4000}`).replace(/\/+$/, ''),
    webhookTimeoutMs: 5_000,
    pollIntervalMs: 2_000,
  };
}
