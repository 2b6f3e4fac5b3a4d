/** @module The sealed content of a queued message. */
import type { SecretBox } from '../util/secret-box.ts';

export interface MessagePayload {
  from?: string;
  subject: string;
  body: string;
  /** The code the message carries, for the local profile's outbox view; null for invitations. */
  code: string | null;
}

export function sealPayload(box: SecretBox, payload: MessagePayload): string {
  return box.encrypt(JSON.stringify(payload));
}

export function openPayload(box: SecretBox, sealed: string): MessagePayload {
  return JSON.parse(box.decrypt(sealed)) as MessagePayload;
}
