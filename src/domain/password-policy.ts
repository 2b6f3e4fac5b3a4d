/** @module The pool's password policy, with Cognito's reasons in the order Cognito reports them. */
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
