/** @module The transports a queued message can leave by. */
import type { OutboxRow } from '../domain/records.ts';
import type { MessagePayload } from './payload.ts';

export interface MessageSender {
  send(message: OutboxRow, payload: MessagePayload): Promise<void>;
  close?(): Promise<void>;
}

/** Transports keyed by medium; a medium without one is kept in the outbox only. */
export interface Senders {
  EMAIL?: MessageSender;
  SMS?: MessageSender;
}
