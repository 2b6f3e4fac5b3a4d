/** @module The opaque `Session` of spec §5.10: returned to clients that allow USER_AUTH, stored only as a digest. */
import type { ClientView } from '../../domain/pool-view.ts';
import type { SessionRecord, UserRecord } from '../../domain/records.ts';
import { newSessionToken } from '../../util/ids.ts';
import type { SecretBox } from '../../util/secret-box.ts';

export const SESSION_PURPOSE = 'signup-session';

export function newSession(
  box: SecretBox,
  client: ClientView,
  user: Pick<UserRecord, 'poolId' | 'usernameKey'>,
  now: number,
): { token: string; record: SessionRecord } {
  const token = newSessionToken();
  return {
    token,
    record: {
      digest: box.mac(SESSION_PURPOSE, token),
      poolId: user.poolId,
      usernameKey: user.usernameKey,
      clientId: client.clientId,
      expiresAt: now + client.authSessionValidityMinutes * 60_000,
    },
  };
}
