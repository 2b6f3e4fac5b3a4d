/** @module Email over SMTP with nodemailer: pooled connections, TLS options taken from the URL. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { OutboxRow } from '../domain/records.ts';
import type { MessagePayload } from './payload.ts';
import { COGNITO_DEFAULT_FROM } from './sender-address.ts';
import type { MessageSender } from './senders.ts';

export class SmtpSender implements MessageSender {
  readonly #transport: Transporter;

  /** `smtp://host:port`, `smtps://…` for implicit TLS; query options such as `?pool=true` pass to nodemailer. */
  constructor(url: string) {
    const withPool = new URL(url);
    if (!withPool.searchParams.has('pool')) withPool.searchParams.set('pool', 'true');
    this.#transport = nodemailer.createTransport(withPool.toString());
  }

  async send(message: OutboxRow, payload: MessagePayload): Promise<void> {
    const html = /<a\s/iu.test(payload.body);
    await this.#transport.sendMail({
      from: payload.from ?? COGNITO_DEFAULT_FROM,
      to: message.destination,
      subject: payload.subject,
      ...(html ? { html: payload.body } : { text: payload.body }),
    });
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}
