/**
 * @module Signs outgoing HTTP calls (trigger `url` functions, the SMS webhook) the Standard Webhooks
 * way: `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256>` over
 * `id.timestamp.body`, so a receiver can reject forged or replayed calls with an off-the-shelf library.
 */
import { createHmac, randomUUID } from 'node:crypto';

/** `whsec_<base64>` secrets are decoded as Standard Webhooks libraries do; any other text is used as UTF-8 bytes. */
export function signingKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

export function sign(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/**
 * Headers for one call. The SMS webhook passes the outbox message id so retries of one message
 * share it and a receiver can deduplicate; the timestamp is wall-clock time (not the movable test
 * clock) because receivers check it against their own.
 */
export function webhookHeaders(body: string, key: Buffer | undefined, id: string = randomUUID(), nowMs: number = Date.now()): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    ...(key ? { 'webhook-signature': sign(key, id, timestamp, body) } : {}),
  };
}
