/** @module The collaborators operations may use; each handler takes only the ones it needs. */
import type { Store } from '../store/store.ts';
import type { Clock } from '../util/clock.ts';
import type { SecretBox } from '../util/secret-box.ts';
import type { PasswordHasher } from '../domain/passwords.ts';
import type { RequestGate } from '../limits/request-gate.ts';
import type { Triggers } from '../triggers/triggers.ts';
import type { PoolLimits } from '../domain/records.ts';

export interface Services {
  store: Store;
  box: SecretBox;
  clock: Clock;
  region: string;
  accountId: string;
  passwords: PasswordHasher;
  /** Rate quotas and per-pool request rules, consulted before user lookup. */
  gate: RequestGate;
  triggers: Triggers;
  /** Attempt limits given to pools created through the API (spec §5.6). */
  defaultLimits: PoolLimits;
  /** Base URL of this server as users' browsers reach it, for confirmation links. */
  publicUrl: string;
  /** Tells the delivery dispatcher that new messages were committed. */
  wakeOutbox: () => void;
}
