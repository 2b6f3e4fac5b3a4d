/** @module SecretHash (spec §5.7): Base64(HMAC-SHA256(key = client secret, message = username + client id)). */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../util/secret-box.ts';

export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret).update(username + clientId, 'utf8').digest('base64');
}

/**
 * True when `provided` is the hash of any candidate username under any active secret. Every
 * combination is computed and compared, so the time taken does not reveal which one matched.
 */
export function secretHashMatches(provided: string, secrets: readonly string[], usernames: readonly string[], clientId: string): boolean {
  let match = false;
  for (const secret of secrets) {
    for (const username of new Set(usernames)) {
      if (constantTimeEqual(secretHash(secret, username, clientId), provided)) match = true;
    }
  }
  return match;
}
