/** @module The Lambda-trigger contract operations call; transports and event shapes live beside it. */
import type { PoolRecord } from '../domain/records.ts';

export type TriggerName = 'PreSignUp' | 'CustomMessage' | 'PostConfirmation' | 'PreAuthentication' | 'PostAuthentication' | 'PreTokenGeneration';

/** The common envelope of spec §6.1; PreTokenGeneration's V2_0 and V3_0 events say '2' and '3'. */
export interface TriggerEvent {
  version: '1' | '2' | '3';
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

export interface Triggers {
  /** Whether a PreSignUp auto-confirmation also runs PostConfirmation (off by default, spec §6.2). */
  readonly postConfirmationOnAutoConfirm?: boolean;
  /**
   * Runs the pool's function for `trigger` when one is configured and returns the `response` part
   * of what it answered; `undefined` when the pool has none. Failures are thrown as the
   * CognitoError of spec §6.5.
   */
  run(pool: PoolRecord, trigger: TriggerName, event: TriggerEvent): Promise<Record<string, unknown> | undefined>;
}
