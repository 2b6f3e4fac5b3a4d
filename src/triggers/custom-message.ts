/** @module What a CustomMessage function may put in place of the pool's templates, checked as Cognito checks it (spec §6.4). */
import { errors } from '../domain/messages.ts';

export interface CustomReplacement {
  emailSubject?: string;
  emailMessage?: string;
  smsMessage?: string;
}

const SMS_LIMIT = 140;
const EMAIL_LIMIT = 20_000;
const SUBJECT_LIMIT = 140;
const LINK = /\{##[\s\S]*?##\}/u;

/**
 * `invitation`: the AdminCreateUser message, which must carry both the username and the temporary
 * password (usernameParameter and codeParameter, per the CustomMessage documentation).
 * `authentication`: a sign-in code, which must be in the message itself even in link mode.
 */
export function customMessageReplacement(
  settings: Record<string, unknown>,
  response: Record<string, unknown>,
  // `recovery`: a password-reset code, which Cognito sends with the code template even in link mode.
  // `attributeVerification`: a code for VerifyUserAttribute, likewise a code in any mode.
  options: { invitation?: boolean; authentication?: boolean; recovery?: boolean; attributeVerification?: boolean } = {},
): CustomReplacement {
  const pick = (key: string) => {
    const value = response[key];
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'string') throw errors.lambdaUnrecognizable();
    return value;
  };
  const emailMessage = pick('emailMessage');
  const emailSubject = pick('emailSubject');
  const smsMessage = pick('smsMessage');

  const sending = (settings.EmailConfiguration as { EmailSendingAccount?: string } | undefined)?.EmailSendingAccount ?? 'COGNITO_DEFAULT';
  if ((emailMessage !== undefined || emailSubject !== undefined) && sending !== 'DEVELOPER') throw errors.lambdaUnrecognizable();
  const byLink = !options.invitation && !options.authentication && !options.recovery && !options.attributeVerification && (settings.VerificationMessageTemplate as { DefaultEmailOption?: string } | undefined)?.DefaultEmailOption === 'CONFIRM_WITH_LINK';
  // The message must carry what the user needs: the code (an email in link mode may carry the
  // link instead), and an invitation also the username.
  const withUsername = (text: string) => !options.invitation || text.includes('{username}');
  const emailOk = (text: string) => (text.includes('{####}') || (byLink && LINK.test(text))) && withUsername(text) && text.length <= EMAIL_LIMIT;
  const smsOk = (text: string) => text.includes('{####}') && withUsername(text) && text.length <= SMS_LIMIT;
  if (emailMessage !== undefined && !emailOk(emailMessage)) throw errors.lambdaUnrecognizable();
  if (emailSubject !== undefined && (emailSubject.length === 0 || emailSubject.length > SUBJECT_LIMIT)) throw errors.lambdaUnrecognizable();
  if (smsMessage !== undefined && !smsOk(smsMessage)) throw errors.lambdaUnrecognizable();
  return { emailMessage, emailSubject, smsMessage };
}
