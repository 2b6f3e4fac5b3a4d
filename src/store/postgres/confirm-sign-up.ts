/**
 * @module ConfirmSignUp's transaction on PostgreSQL in as few round trips as its case allows: the
 * row lock and the state it guards in one (behind the BEGIN), the judged writes and the COMMIT in a
 * second. Aliases add one round trip for their locks and owners (and up to three per value a forced
 * move takes from another user); a session adds two, for the neighbour's own statements.
 */
import type pg from 'pg';
import type { AliasClaim, CodeRecord } from '../../domain/records.ts';
import { userFromRow } from '../rows.ts';
import { CONFIRMED_SIGN_UP_CHALLENGE, signUpSession } from '../sign-in-store.ts';
import type { ConfirmRequest, ConfirmResult } from '../user-store.ts';
import { first, type Row } from './context.ts';
import type { PostgresSessionStore } from './session-store.ts';
import { inTransaction, Rollback, type Pipeline } from './transaction.ts';
import { CONFIRM_GUARD, q } from './user-statements.ts';

export async function confirmSignUp(pool: pg.Pool, sessions: PostgresSessionStore, request: ConfirmRequest): Promise<ConfirmResult> {
  const { poolId, usernameKey, now } = request;
  return inTransaction(pool, async (c, p): Promise<ConfirmResult> => {
    // The server runs the second statement only once the first holds the lock, on a fresh snapshot,
    // so the count and the code are the ones no other counted intent can change before COMMIT.
    const [locked, counted] = await p.send([q('userLock', [poolId, usernameKey]), q('attemptsAndCode', [poolId, usernameKey, 'confirm', request.windowStart])]);
    const row = locked!.rows[0] as Row | undefined;
    if (!row && !request.standIn) return { kind: 'not-found' };
    const user = row ? userFromRow(row) : request.standIn!.user;
    const state = counted!.rows[0] as Row;
    const code = !row ? request.standIn!.code : codeFromRow(state);
    const judgement = request.judge({ user, code, attemptsInWindow: Number(state.n) });
    const attempt = judgement.countAttempt ? [q('attemptInsert', [poolId, usernameKey, 'confirm', now])] : [];
    if (judgement.kind === 'refuse') {
      await p.commit(attempt);
      return { kind: 'refused', reason: judgement.reason, user };
    }
    if (!row) {
      await p.commit(attempt);
      return { kind: 'not-found' };
    }

    let unsent = attempt;
    if (judgement.aliases.length > 0) {
      const conflict = await moveAliases(c, p, request, judgement.aliases, attempt);
      if (conflict) return { kind: 'alias-conflict', attribute: conflict, user };
      unsent = [];
    }
    const attributes = { ...user.attributes };
    if (judgement.verify) attributes[`${judgement.verify}_verified`] = 'true';
    const writes = [
      ...unsent,
      q('userConfirm', [JSON.stringify(attributes), now, poolId, usernameKey]),
      ...judgement.aliases.map((alias) => q('aliasInsert', [poolId, alias.attribute, alias.valueKey, usernameKey])),
      ...(request.consumeCode ? [q('codeDelete', [poolId, usernameKey])] : []),
    ];
    try {
      if (request.session) await writeWithSession(c, p, sessions, writes, request);
      else await p.commit(writes);
    } catch (error) {
      // Unreachable while the row is locked and judged. The COMMIT sent behind the writes has rolled
      // back; without one, the Rollback does.
      if (confirmGuardFired(error)) throw new Rollback<ConfirmResult>({ kind: 'refused', reason: 'status', user });
      throw error;
    }
    return { kind: 'confirmed', user: { ...user, status: 'CONFIRMED', attributes, updatedAt: now, confirmedAt: now } };
  });
}

function codeFromRow(state: Row): CodeRecord | undefined {
  if (state.digest == null) return undefined;
  return {
    digest: String(state.digest),
    deliveredTo: (state.delivered_to ?? null) as 'email' | 'phone_number' | null,
    expiresAt: Number(state.expires_at),
    createdAt: Number(state.code_created_at),
  };
}

/**
 * Locks the values in one global order and reads their owners, with the counted attempt, in one
 * round trip; moves the ones another user holds when forced. Returns the attribute of the first
 * value held by another user when not forced: the attempt is still committed then.
 */
async function moveAliases(c: pg.PoolClient, p: Pipeline, request: ConfirmRequest, aliases: readonly AliasClaim[], attempt: pg.QueryConfig[]): Promise<string | undefined> {
  const { poolId, usernameKey, now } = request;
  const owners = (await p.send([...attempt, ...aliasLocks(poolId, aliases), ...aliases.map((a) => q('aliasOwner', [poolId, a.attribute, a.valueKey]))])).slice(-aliases.length);
  for (const [i, alias] of aliases.entries()) {
    const owner = owners[i]!.rows[0] as Row | undefined;
    if (!owner || owner.username_key === usernameKey) continue;
    if (!request.forceAliasCreation) return alias.attribute;
    await unverifyPreviousOwner(c, poolId, String(owner.username_key), alias.attribute, now);
    await c.query(q('aliasDelete', [poolId, alias.attribute, alias.valueKey]));
  }
  return undefined;
}

/** The session's statements belong to its aggregate, which sends them itself; the confirmation's writes go ahead of them. */
async function writeWithSession(c: pg.PoolClient, p: Pipeline, sessions: PostgresSessionStore, writes: pg.QueryConfig[], request: ConfirmRequest): Promise<void> {
  const [written, stored] = await Promise.allSettled([p.send(writes), sessions.insertSession(c, signUpSession(request.session!, CONFIRMED_SIGN_UP_CHALLENGE, request.now))]);
  // The writes' failure is the cause; the session's statements after it fail only as aborted.
  if (written.status === 'rejected') throw written.reason;
  if (stored.status === 'rejected') throw stored.reason;
}

function confirmGuardFired(error: unknown): boolean {
  return error instanceof Error && (error as { code?: string }).code === '22P02' && error.message.includes(CONFIRM_GUARD);
}

/** The advisory locks of alias values in one global order, so two transactions claiming the same values cannot deadlock. */
export function aliasLocks(poolId: string, aliases: readonly AliasClaim[]): pg.QueryConfig[] {
  return aliases.map((a) => JSON.stringify([poolId, a.attribute, a.valueKey])).sort().map((key) => q('aliasLock', [key]));
}

/** Spec §5.3: a forced alias move leaves the previous owner's attribute unverified. */
async function unverifyPreviousOwner(c: pg.PoolClient, poolId: string, ownerKey: string, attribute: string, now: number): Promise<void> {
  if (attribute === 'preferred_username') return;
  const owner = await first(c, q('userLock', [poolId, ownerKey]));
  if (!owner) return;
  const attributes = { ...userFromRow(owner).attributes, [`${attribute}_verified`]: 'false' };
  await c.query(q('userSetAttributes', [JSON.stringify(attributes), now, poolId, ownerKey]));
}
