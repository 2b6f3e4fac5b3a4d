/** @module The answer AdminAddUserToGroup and AdminRemoveUserFromGroup give for a store's membership result. */
import { errors } from '../../../domain/messages.ts';
import type { MembershipResult } from '../../../store/group-store.ts';

/** The user was found before the change; one missing now was deleted meanwhile, and is reported as missing. */
export function membershipAnswer(result: MembershipResult): Record<string, never> {
  if (result.kind === 'group-not-found') throw errors.groupNotFound();
  if (result.kind === 'user-not-found') throw errors.userNotFound();
  return {};
}
