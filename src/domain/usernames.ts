/**
 * @module How a login string maps to a user (spec §5.1): usernames, alias values and `sub`, with
 * the pool's case sensitivity; and the username rules SignUp enforces.
 */
import type { AliasAttribute, AliasClaim } from './records.ts';
import { errors } from './messages.ts';
import type { PoolView } from './pool-view.ts';

const EMAIL = /^[^\s@]+@[^\s@]+$/u;
const PHONE = /^\+[0-9]{4,20}$/u;

export function looksLikeEmail(value: string): boolean {
  return EMAIL.test(value);
}

export function looksLikePhone(value: string): boolean {
  return PHONE.test(value);
}

export function usernameKey(pool: PoolView, username: string): string {
  return pool.caseSensitive ? username : username.toLowerCase();
}

/** Email comparisons follow the pool's case setting; phone numbers and case-sensitive values are exact. */
export function aliasKey(pool: PoolView, attribute: AliasAttribute, value: string): string {
  if (attribute === 'phone_number' || pool.caseSensitive) return value;
  return value.toLowerCase();
}

/** The aliases a login string could be, in the order they are tried after the username itself. */
export function loginAliases(pool: PoolView, login: string): AliasClaim[] {
  const kinds: AliasAttribute[] = pool.usernameAttributes.length > 0 ? pool.usernameAttributes : pool.aliasAttributes;
  return kinds.map((attribute) => ({ attribute, valueKey: aliasKey(pool, attribute, login) }));
}

/** Sign-up username rules for pools that sign in with email/phone or allow them as aliases. */
export function checkSignUpUsername(pool: PoolView, username: string): void {
  const byEmail = pool.usernameAttributes.includes('email');
  const byPhone = pool.usernameAttributes.includes('phone_number');
  if (byEmail && byPhone) {
    if (!looksLikeEmail(username) && !looksLikePhone(username)) throw errors.usernameShouldBeEmailOrPhone();
  } else if (byEmail) {
    if (!looksLikeEmail(username)) throw errors.usernameShouldBeEmail();
  } else if (byPhone) {
    if (!looksLikePhone(username)) throw errors.usernameShouldBePhone();
  }
  if (pool.aliasAttributes.includes('email') && looksLikeEmail(username)) throw errors.usernameEmailFormat();
  if (pool.aliasAttributes.includes('phone_number') && looksLikePhone(username)) throw errors.usernamePhoneFormat();
}
