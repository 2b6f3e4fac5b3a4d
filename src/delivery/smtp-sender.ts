/** @module Email over SMTP with nodemailer: pooled connections, TLS options taken from the URL. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { OutboxRow } from '../domain/records.ts';
import type { MessagePayload } from './payload.ts';
import { COGNITO_DEFAULT_FROM } from './sender-address.ts';
import { PermanentDeliveryError, type MessageSender } from './senders.ts';

export class SmtpSender implements MessageSender {
  readonly #transport: Transporter;

  /**
   * `smtp://[user:pass@]host:port` (STARTTLS when offered), `smtps://…` for implicit TLS; query
   * options pass to nodemailer and win over the defaults here, e.g. `?requireTLS=true`,
   * `?tls.rejectUnauthorized=false`, `?tls.servername=mail.example.com`, `?pool=false`.
   */
  constructor(url: string) {
    this.#transport = nodemailer.createTransport({
      url,
      pool: true,
      // Bounded well inside the dispatcher's 60 s lease, so a hanging server cannot make a second
      // instance take the message over while this one is still sending it.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: OutboxRow, payload: MessagePayload): Promise<void> {
    const from = payload.from ?? COGNITO_DEFAULT_FROM;
    const html = /<[a-z][^>]*>/iu.test(payload.body);
    try {
      await this.#transport.sendMail({
        from,
        to: message.destination,
        subject: payload.subject,
        // Stable per outbox message: if a crash after the server accepted the mail causes a resend,
        // receivers can recognise the duplicate.
        messageId: `<outbox.${message.id}.${message.createdAt}@${domainOf(from)}>`,
        ...(html ? { html: payload.body, text: plainText(payload.body) } : { text: payload.body }),
      });
    } catch (error) {
      const e = error as { code?: string; responseCode?: number; message?: string };
      // A 5xx answer to the envelope or the data is the server refusing this message for good.
      if ((e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && (e.responseCode ?? 0) >= 500) {
        throw new PermanentDeliveryError(e.message ?? 'rejected by the SMTP server');
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}

function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/u.exec(address);
  return match?.[1] ?? 'userpool.local';
}

/** The text part of an HTML mail: links keep their target so a text-only reader can still follow them. */
export function plainText(html: string): string {
  return html
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/giu, (_, href: string, text: string) => `${text} ( ${href} )`)
    .replace(/<br\s*\/?>/giu, '\n')
    .replace(/<[^>]+>/gu, '')
    .replace(/&#(\d+);/gu, (_, n: string) => String.fromCharCode(Number(n)))
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
}
