/** @module What a PreSignUp function's answer does to the new user (spec §6.3). */
import { errors } from '../../domain/messages.ts';
import type { UserRecord } from '../../domain/records.ts';

export function applyPreSignUp(draft: UserRecord, response: Record<string, unknown> | undefined): UserRecord {
  const user = { ...draft, attributes: { ...draft.attributes } };
  if (!response) return user;
  const flag = (name: string) => {
    const value = response[name];
    if (value !== undefined && value !== null && typeof value !== 'boolean') throw errors.lambdaUnrecognizable();
    return value === true;
  };
  const autoConfirm = flag('autoConfirmUser');
  const verifyEmail = flag('autoVerifyEmail');
  const verifyPhone = flag('autoVerifyPhone');
  // Verifying an attribute the user does not have fails the sign-up, as Cognito does.
  if (verifyEmail) {
    if (!user.attributes.email) throw errors.lambdaUnrecognizable();
    user.attributes.email_verified = 'true';
  }
  if (verifyPhone) {
    if (!user.attributes.phone_number) throw errors.lambdaUnrecognizable();
    user.attributes.phone_number_verified = 'true';
  }
  if (autoConfirm) user.status = 'CONFIRMED';
  return user;
}
