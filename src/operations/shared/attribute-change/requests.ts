/**
 * @module A request's attribute list as a change: blank values delete (API reference,
 * UpdateUserAttributes), the rest are written, each part checked against the pool's schema with
 * the caller's rules. Only an administrator sets the verified flags; a user proves an address.
 */
import { errors } from '../../../domain/messages.ts';
import type { PoolRecord } from '../../../domain/records.ts';
import { attributeMap, checkAttributeDeletion, checkUserAttributes, type AttributeWriteRules } from '../attributes.ts';
import { isVerifiedFlag, type ChangeInput } from './plan.ts';

type AttributeList = readonly { Name?: string; Value?: string }[] | undefined;

export function updateInput(pool: PoolRecord, list: AttributeList, rules: AttributeWriteRules): ChangeInput {
  const requested = attributeMap(list?.map((a) => ({ Name: a.Name ?? '', Value: a.Value })));
  refuseFlagsFromUsers(Object.keys(requested), rules);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const [name, value] of Object.entries(requested)) {
    if (value === '') remove.push(name);
    else set[name] = value;
  }
  if (Object.keys(set).length > 0) checkUserAttributes(pool, set, rules);
  if (remove.length > 0) checkAttributeDeletion(pool, remove, rules);
  return { set, remove };
}

export function deleteInput(pool: PoolRecord, names: readonly string[], rules: AttributeWriteRules): ChangeInput {
  refuseFlagsFromUsers(names, rules);
  checkAttributeDeletion(pool, names, rules);
  return { set: {}, remove: [...new Set(names)] };
}

/**
 * Cognito refuses a client's write of `email_verified` as unauthorized (seen on SignUp,
 * aws/aws-sdk-js#3603); an access-token caller is a client, so the same holds here.
 */
function refuseFlagsFromUsers(names: readonly string[], rules: AttributeWriteRules): void {
  if (rules.client && names.some(isVerifiedFlag)) throw errors.unauthorizedAttribute();
}
