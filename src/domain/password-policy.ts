/** @module The pool's password policy, with Cognito's reasons in the order Cognito reports them, and its password history size. */
import type { PasswordPolicy } from './pool-view.ts';
import { errors } from './messages.ts';

// Cognito's symbol set: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space.
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/u;

/** Throws InvalidPasswordException; `wording` is how the calling operation phrases it. */
export function checkPassword(policy: PasswordPolicy, password: string, wording: 'signUp' | 'admin' = 'signUp'): void {
  const fail = wording === 'admin' ? errors.adminPasswordPolicy : errors.passwordPolicy;
  if (password.length < policy.minimumLength) throw fail('Password not long enough');
  if (policy.requireLowercase && !/[a-z]/u.test(password)) throw fail('Password must have lowercase characters');
  if (policy.requireUppercase && !/[A-Z]/u.test(password)) throw fail('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/u.test(password)) throw fail('Password must have numeric characters');
  if (policy.requireSymbols && !SYMBOL.test(password)) throw fail('Password must have symbol characters');
}

/** PasswordHistorySize's range in the model; 0 (or absent) keeps no history. */
export const MAX_PASSWORD_HISTORY = 24;

/**
 * How many of a user's last passwords (the current one included) a new password must differ from.
 * Only the Essentials and Plus tiers enforce it; ESSENTIALS is the tier of a pool created without one.
 */
export function passwordHistorySize(settings: Record<string, unknown>): number {
  if (settings.UserPoolTier === 'LITE') return 0;
  const size = (settings.Policies as { PasswordPolicy?: { PasswordHistorySize?: unknown } } | undefined)?.PasswordPolicy?.PasswordHistorySize;
  return typeof size === 'number' && size > 0 ? Math.min(Math.floor(size), MAX_PASSWORD_HISTORY) : 0;
}
