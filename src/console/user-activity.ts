/**
 * @module What the console shows about one user beyond AdminGetUser: the messages sent to them,
 * their token families and hosted-UI browser sessions, and a status history derived from what the
 * store already keeps (docs/console.md, "Users"). Reads only; no secret leaves here: refresh tokens
 * and session cookies are kept as digests and never shown, and messages are opened the way the
 * local profile's control API opens them, for a developer to read the code they carry.
 */
import { openPayload } from '../delivery/payload.ts';
import { isLocked } from '../domain/lockout.ts';
import type { OutboxRow, UserRecord } from '../domain/records.ts';
import type { Services } from '../operations/services.ts';
import type { BrowserSessionRecord } from '../store/oauth-grant-store.ts';
import type { Credentials, RefreshTokenRecord } from '../store/sign-in-store.ts';

/** Enough rows for a page a person reads; older ones are still in the outbox view. */
const ROWS_SHOWN = 50;

export interface SentMessage {
  id: number;
  medium: OutboxRow['medium'];
  destination: string;
  subject: string;
  body: string;
  code: string | null;
  status: OutboxRow['status'];
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

/** One sign-in: every refresh token of one `origin_jti`, summed up. */
export interface TokenFamily {
  clientId: string;
  authTime: number;
  /** When its newest token was issued (a rotation issues a new one). */
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  state: 'active' | 'revoked' | 'expired';
}

export interface BrowserSessionView {
  authTime: number;
  createdAt: number;
  expiresAt: number;
  endedAt: number | null;
  state: 'active' | 'ended' | 'expired';
}

export interface HistoryEvent {
  at: number;
  event: string;
  detail: string;
}

export interface UserActivity {
  messages: SentMessage[];
  families: TokenFamily[];
  browserSessions: BrowserSessionView[];
  history: HistoryEvent[];
  lockedUntil: number | null;
}

export async function userActivity(s: Pick<Services, 'store' | 'box' | 'clock'>, user: UserRecord): Promise<UserActivity> {
  const now = s.clock.now();
  const [rows, tokens, sessions, credentials] = await Promise.all([
    s.store.listOutbox({ poolId: user.poolId, username: user.username }),
    s.store.refreshTokensOfUser(user.poolId, user.usernameKey, 200),
    s.store.browserSessionsOfUser(user.poolId, user.usernameKey, ROWS_SHOWN),
    s.store.getCredentials(user.poolId, user.usernameKey),
  ]);
  // A message to an earlier user of the same name (deleted, then created again) is not this user's.
  const messages = rows
    .filter((r) => r.createdAt >= user.createdAt)
    .sort((a, b) => b.id - a.id)
    .slice(0, ROWS_SHOWN)
    .map((r) => openMessage(s, r));
  const families = tokenFamilies(tokens, now);
  const browserSessions = sessions.map((b) => browserSessionView(b, now));
  const lockout = credentials?.lockout;
  const lockedUntil = lockout && lockout.lockedUntil > 0 ? lockout.lockedUntil : null;
  return { messages, families, browserSessions, history: history(user, messages, families, browserSessions, credentials, now), lockedUntil };
}

function openMessage(s: Pick<Services, 'box'>, row: OutboxRow): SentMessage {
  const payload = openPayload(s.box, row.sealedPayload);
  return {
    id: row.id,
    medium: row.medium,
    destination: row.destination,
    subject: payload.subject,
    body: payload.body,
    code: payload.code,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

function tokenFamilies(tokens: readonly RefreshTokenRecord[], now: number): TokenFamily[] {
  const byFamily = new Map<string, TokenFamily>();
  // Newest first, so the first token met of a family is its current one.
  for (const t of tokens) {
    const known = byFamily.get(t.originJti);
    if (known) {
      known.expiresAt = Math.max(known.expiresAt, t.expiresAt);
      continue;
    }
    byFamily.set(t.originJti, { clientId: t.clientId, authTime: t.authTime, issuedAt: t.issuedAt, expiresAt: t.expiresAt, revokedAt: t.revokedAt, state: 'active' });
  }
  const families = [...byFamily.values()];
  for (const f of families) f.state = f.revokedAt !== null ? 'revoked' : f.expiresAt <= now ? 'expired' : 'active';
  return families.sort((a, b) => b.authTime - a.authTime);
}

function browserSessionView(b: BrowserSessionRecord, now: number): BrowserSessionView {
  const state = b.endedAt !== null ? 'ended' : b.expiresAt <= now ? 'expired' : 'active';
  return { authTime: b.authTime, createdAt: b.createdAt, expiresAt: b.expiresAt, endedAt: b.endedAt, state };
}

/**
 * Created, codes and invitations sent, confirmed, signed in (API or hosted UI), signed out, password
 * set, locked out. Confirmation is the sign-up's (users.confirmed_at, migration 009); a user made
 * CONFIRMED by a new password or a reset shows that as "Password set".
 */
function history(
  user: UserRecord,
  messages: readonly SentMessage[],
  families: readonly TokenFamily[],
  sessions: readonly BrowserSessionView[],
  credentials: Credentials | undefined,
  now: number,
): HistoryEvent[] {
  const events: HistoryEvent[] = [{ at: user.createdAt, event: 'Created', detail: `sub ${user.sub}` }];
  if (user.confirmedAt !== undefined) events.push({ at: user.confirmedAt, event: 'Confirmed', detail: 'sign-up confirmed' });
  for (const m of messages) {
    events.push({ at: m.createdAt, event: m.code === null ? 'Invitation sent' : 'Code sent', detail: `${m.medium} to ${m.destination}${m.subject ? `, “${m.subject}”` : ''} (${m.status})` });
  }
  for (const f of families) {
    events.push({ at: f.authTime, event: 'Signed in', detail: `client ${f.clientId}` });
    if (f.revokedAt !== null) events.push({ at: f.revokedAt, event: 'Signed out', detail: `tokens of client ${f.clientId} revoked` });
  }
  for (const b of sessions) {
    // A hosted-UI sign-in also starts a token family at the same moment; the session is the browser's side of it.
    events.push({ at: b.authTime, event: 'Signed in', detail: 'hosted UI browser session' });
    if (b.endedAt !== null) events.push({ at: b.endedAt, event: 'Signed out', detail: 'hosted UI /logout' });
  }
  if (credentials?.passwordSetAt) events.push({ at: credentials.passwordSetAt, event: 'Password set', detail: user.status === 'FORCE_CHANGE_PASSWORD' ? 'temporary, to be changed at sign-in' : 'the current password' });
  const lockout = credentials?.lockout;
  if (lockout && lockout.lockedUntil > 0) {
    const until = new Date(lockout.lockedUntil).toISOString();
    events.push({ at: lockout.lastAttemptAt, event: 'Locked out', detail: `${isLocked(lockout, now) ? 'until' : 'ended'} ${until}, after ${lockout.failures} wrong passwords` });
  }
  return events.sort((a, b) => b.at - a.at);
}
