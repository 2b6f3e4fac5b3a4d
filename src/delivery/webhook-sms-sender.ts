/**
 * @module SMS through an HTTP webhook: a JSON POST of `{id, to, message, poolId, username}`, signed
 * like trigger calls when a secret is configured. Any 2xx is acceptance; anything else is retried.
 */
import type { OutboxRow } from '../domain/records.ts';
import type { MessagePayload } from './payload.ts';
import type { MessageSender } from './senders.ts';
import { webhookHeaders } from './webhook-signature.ts';

const TIMEOUT_MS = 10_000;

export class WebhookSmsSender implements MessageSender {
  constructor(
    readonly url: string,
    readonly key: Buffer | undefined,
  ) {}

  async send(message: OutboxRow, payload: MessagePayload): Promise<void> {
    const body = JSON.stringify({ id: message.id, to: message.destination, message: payload.body, poolId: message.poolId, username: message.username });
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'userpool-sms/1',
        // The same id on every retry of this message lets the receiver drop duplicates.
        ...webhookHeaders(body, this.key, `msg_${message.id}_${message.createdAt}`),
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`SMS webhook answered HTTP ${res.status}`);
  }
}
