/** @module The error for each reason a confirmation was refused, honouring PreventUserExistenceErrors (spec §5.4). */
import { errors } from '../../domain/messages.ts';
import type { ClientView } from '../../domain/pool-view.ts';
import type { UserRecord } from '../../domain/records.ts';

export function refusalError(reason: string, user: UserRecord, client: ClientView | undefined) {
  switch (reason) {
    case 'disabled':
      // With existence errors prevented, a disabled user must look like a wrong code.
      return client?.preventUserExistenceErrors ? errors.codeMismatch() : errors.userDisabled();
    case 'status':
      return errors.cannotConfirm(user.status);
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
