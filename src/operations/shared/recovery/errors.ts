/** @module The error for each reason a recovery call was refused, honouring PreventUserExistenceErrors where it applies. */
import { errors } from '../../../domain/messages.ts';
import { codeRefusal } from '../confirm-errors.ts';

export function issueRefusal(reason: string) {
  if (reason === 'disabled') return errors.userDisabled();
  if (reason === 'status') return errors.cannotResetPassword();
  return errors.internal();
}

/** A refused code redemption: the same reasons, and the same answers, as a refused sign-up code, and a reused password. */
export function redeemRefusal(reason: string, hideExistence: boolean) {
  if (reason === 'reused') return errors.passwordHistoryViolation();
  return codeRefusal(reason, hideExistence);
}
