/**
 * @module Runs a planned attribute change: codes and their messages are prepared first (the
 * CustomMessage trigger may take seconds and must not hold a transaction open), then the store
 * plans again on the locked user and applies it only if the same codes are still wanted; a change
 * that raced ahead makes the call start over on what is now stored.
 */
import type { DeliveryTarget } from '../../../domain/delivery-details.ts';
import { errors } from '../../../domain/messages.ts';
import type { PoolView } from '../../../domain/pool-view.ts';
import type { PoolRecord, UserRecord } from '../../../domain/records.ts';
import type { EventOrigin } from '../../../triggers/events.ts';
import type { Services } from '../../services.ts';
import { prepareAttributeCode, type PreparedCode } from './code-message.ts';
import { changeSettings, planChange, purposeOf, type ChangeInput, type CodeTarget } from './plan.ts';

const ROUNDS = 3;

export interface ChangeContext {
  pool: PoolRecord;
  poolView: PoolView;
  user: UserRecord;
  origin: EventOrigin;
  clientMetadata?: Record<string, string>;
  now: number;
}

/** Applies the change and answers where codes went, in the order the plan lists them. */
export async function applyChange(s: Pick<Services, 'store' | 'box' | 'triggers' | 'wakeOutbox'>, c: ChangeContext, input: ChangeInput): Promise<DeliveryTarget[]> {
  const settings = changeSettings(c.pool, c.poolView);
  let user = c.user;
  for (let round = 0; round < ROUNDS; round++) {
    const plan = planChange(user, input, settings);
    const prepared: PreparedCode[] = [];
    for (const target of plan.codes) {
      const request = { pool: c.pool, origin: c.origin, user, attributes: plan.attributes, target, clientMetadata: c.clientMetadata, now: c.now };
      prepared.push(await prepareAttributeCode(s, { ...request, source: 'CustomMessage_UpdateUserAttribute' }));
    }
    const result = await s.store.changeAttributes({
      poolId: c.pool.id,
      usernameKey: user.usernameKey,
      now: c.now,
      judge: (locked) => {
        const again = planChange(locked, input, settings);
        if (!sameTargets(again.codes, plan.codes)) return { kind: 'refuse', reason: 'stale' };
        const { codes: _, dropCodes, ...write } = again;
        void _;
        return { kind: 'apply', ...write, codes: prepared.map((p) => p.record), dropCodes: dropCodes.map(purposeOf), messages: prepared.map((p) => p.message) };
      },
    });
    if (result.kind === 'not-found') throw errors.userNotFound();
    if (result.kind === 'alias-conflict') throw aliasConflict(c.poolView, result.attribute);
    if (result.kind === 'refused') {
      user = result.user;
      continue;
    }
    if (prepared.length > 0) s.wakeOutbox();
    return prepared.map((p) => p.target);
  }
  throw errors.internal();
}

/** Sign-in names in username-attribute pools get SignUp's wording; alias attributes ConfirmSignUp's. */
export function aliasConflict(pool: PoolView, attribute: string) {
  const signInName = pool.usernameAttributes.length > 0 && (attribute === 'email' || attribute === 'phone_number');
  return signInName ? errors.aliasExistsGiven(attribute) : errors.aliasExists(attribute);
}

function sameTargets(a: readonly CodeTarget[], b: readonly CodeTarget[]): boolean {
  return a.length === b.length && a.every((t, i) => t.attribute === b[i]!.attribute && t.destination === b[i]!.destination);
}
