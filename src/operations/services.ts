/** @module The collaborators operations may use; each handler takes only the ones it needs. */
import type { Store } from '../store/store.ts';
import type { Clock } from '../util/clock.ts';
import type { SecretBox } from '../util/secret-box.ts';
import type { PasswordHasher } from '../domain/passwords.ts';
import type { RequestGate } from '../limits/request-gate.ts';
import type { Triggers } from '../triggers/triggers.ts';
import type { PoolLimits } from '../domain/records.ts';
import type { TokenService } from './shared/sign-in/token-service.ts';
import type { LockoutPolicy } from '../domain/lockout.ts';

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
  /** Signing keys, JWTs and refresh tokens for finished sign-ins, and the access-token check. */
  tokens: TokenService;
  /** Lockout after failed passwords (sign-in spec §9). */
  lockout: LockoutPolicy;
  /** Tells the delivery dispatcher that new messages were committed. */
  wakeOutbox: () => void;
}
