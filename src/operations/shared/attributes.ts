/** @module User attributes from a request's Name/Value list, checked against the pool's schema. */
import { errors } from '../../domain/messages.ts';
import { looksLikeEmail, looksLikePhone } from '../../domain/usernames.ts';
import type { ClientRecord, PoolRecord } from '../../domain/records.ts';
import { STANDARD_ATTRIBUTE_NAMES } from './standard-schema.ts';

const UNSTORABLE = /\u0000|\p{Cs}/u;

type AttributeList = readonly { Name: string; Value?: string }[] | undefined;

export function attributeMap(list: AttributeList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { Name, Value } of list ?? []) out[Name] = Value ?? '';
  return out;
}

/** Who writes the attributes and over what: the rules that depend on the caller and on the user's current values. */
export interface AttributeWriteRules {
  /** The app client of a user-facing call; its WriteAttributes limit what may be written. Absent for admin calls. */
  client?: ClientRecord;
  /** The user's current attributes when an existing user is changed, so immutable ones can be held. */
  existing?: Readonly<Record<string, string>>;
}

/** Names must be standard or declared custom attributes; `sub` is the server's; email and phone must look right. */
export function checkUserAttributes(pool: PoolRecord, attributes: Record<string, string>, rules: AttributeWriteRules = {}): void {
  void rules;
  const custom = new Set(((pool.settings.Schema as { Name: string }[] | undefined) ?? []).map((a) => `custom:${a.Name.replace(/^custom:/, '')}`));
  for (const name of Object.keys(attributes)) {
    if (name === 'sub') throw errors.invalidAttribute('Cannot modify the non-mutable attribute sub');
    if (!STANDARD_ATTRIBUTE_NAMES.has(name) && !custom.has(name)) {
      throw errors.invalidAttribute(`Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.\n`);
    }
  }
  for (const [name, value] of Object.entries(attributes)) {
    // A NUL or an unpaired surrogate cannot be kept as PostgreSQL text or read back out of its JSON;
    // neither is text a user could have typed. The wording is ours: no source records Cognito's.
    if (UNSTORABLE.test(value)) throw errors.invalidAttribute(`Invalid value for attribute ${name}: NUL characters and unpaired surrogates are not allowed.`);
  }
  if (attributes.email !== undefined && !looksLikeEmail(attributes.email)) throw errors.invalidAttribute('Invalid email address format.');
  if (attributes.phone_number !== undefined && !looksLikePhone(attributes.phone_number)) throw errors.invalidAttribute('Invalid phone number format.');
}

/** DeleteUserAttributes: the names must exist in the schema, and required or immutable ones cannot go. */
export function checkAttributeDeletion(pool: PoolRecord, names: readonly string[], rules: AttributeWriteRules = {}): void {
  checkUserAttributes(pool, Object.fromEntries(names.map((name) => [name, ''])), rules);
}
