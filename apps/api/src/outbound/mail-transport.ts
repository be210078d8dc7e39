import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface OutgoingMail {
  /** Stable per mail (its id), so a retried send carries the same Message-ID and a repeat can be recognised. */
  readonly messageId: string;
  readonly fromName: string;
  readonly fromAddress: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer (the well-kept mail library for Node), configured by one URL, e.g.
 * smtp://user:pass@smtp.example.com:587 or smtps://... Returns null when no SMTP server is
 * configured: mail is then kept and shown, never reported as sent.
 */
export function createMailTransport(smtpUrl: string | undefined): MailTransport | null {
  if (!smtpUrl) return null;
  const options: SMTPTransport.Options = {
    url: smtpUrl,
    // An unreachable server must not hold a job's lease for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
  const transporter = nodemailer.createTransport(options);
  return {
    async send(mail) {
      await transporter.sendMail({
        messageId: `<${mail.messageId}@refunds-backoffice>`,
        from: { name: mail.fromName, address: mail.fromAddress },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    },
    close() {
      transporter.close();
    },
  };
}
