/** @module The error for each reason a confirmation was refused, honouring PreventUserExistenceErrors (spec §5.4). */
import { errors } from '../../domain/messages.ts';
import type { ClientView } from '../../domain/pool-view.ts';
import type { UserRecord } from '../../domain/records.ts';

export function refusalError(reason: string, user: UserRecord, client: ClientView | undefined) {
  if (reason === 'status') return errors.cannotConfirm(user.status);
  return codeRefusal(reason, client?.preventUserExistenceErrors ?? false);
}

/** The refusals every code check shares: sign-up, recovery and attribute codes alike. */
export function codeRefusal(reason: string, hideExistence: boolean) {
  switch (reason) {
    case 'disabled':
      // With existence errors prevented, a disabled user must look like a wrong code.
      return hideExistence ? errors.codeMismatch() : errors.userDisabled();
    case 'limited':
      return errors.attemptLimit();
    case 'expired':
      return errors.codeExpired();
    case 'mismatch':
      return errors.codeMismatch();
    default:
      return errors.internal();
  }
}
