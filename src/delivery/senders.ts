/** @module The transports a queued message can leave by. */
import type { OutboxRow } from '../domain/records.ts';
import type { MessagePayload } from './payload.ts';

export interface MessageSender {
  /** Resolves once the transport has accepted the message; throws to have it retried. */
  send(message: OutboxRow, payload: MessagePayload): Promise<void>;
  close?(): Promise<void>;
}

/** Transports keyed by medium; a medium without one is kept in the outbox only. */
export interface Senders {
  EMAIL?: MessageSender;
  SMS?: MessageSender;
}

/**
 * A failure the transport says will not go away (a rejected recipient, an invalid phone number):
 * the message is marked failed at once instead of being retried for the rest of its life.
 */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}
