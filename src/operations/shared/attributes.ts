/** @module User attributes from a request's Name/Value list, checked against the pool's schema and the caller's client. */
import { checkDeletable, checkMutable, checkRequired, checkValues, checkWritable, type WriteContext } from '../../domain/attribute-rules.ts';
import { schemaByName } from '../../domain/attribute-schema.ts';
import { errors } from '../../domain/messages.ts';
import { looksLikeEmail, looksLikePhone } from '../../domain/usernames.ts';
import type { ClientRecord, PoolRecord } from '../../domain/records.ts';

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

function writeContext(rules: AttributeWriteRules): WriteContext {
  return {
    writable: (rules.client?.settings.WriteAttributes as string[] | undefined) ?? null,
    userFacing: rules.client !== undefined,
    changesExistingUser: rules.existing !== undefined,
  };
}

/**
 * In Cognito's order: `sub` is the server's; a client writes only what it may; immutable
 * attributes are held once a user exists; then every value is checked against its declaration,
 * and email and phone must look right.
 */
export function checkUserAttributes(pool: PoolRecord, attributes: Record<string, string>, rules: AttributeWriteRules = {}): void {
  const names = Object.keys(attributes);
  if (names.includes('sub')) throw errors.nonMutableAttribute('sub');
  const schema = schemaByName(pool.settings.Schema);
  const context = writeContext(rules);
  checkWritable(schema, names, context);
  checkMutable(schema, names, context);
  checkValues(schema, attributes);
  for (const [name, value] of Object.entries(attributes)) {
    // A NUL or an unpaired surrogate cannot be kept as PostgreSQL text or read back out of its JSON;
    // neither is text a user could have typed. The wording is ours: no source records Cognito's.
    if (UNSTORABLE.test(value)) throw errors.invalidAttribute(`Invalid value for attribute ${name}: NUL characters and unpaired surrogates are not allowed.`);
  }
  if (attributes.email !== undefined && !looksLikeEmail(attributes.email)) throw errors.invalidAttribute('Invalid email address format.');
  if (attributes.phone_number !== undefined && !looksLikePhone(attributes.phone_number)) throw errors.invalidAttribute('Invalid phone number format.');
}

/** SignUp: every required attribute needs a value, counting the one the username supplies. */
export function checkRequiredAttributes(pool: PoolRecord, attributes: Record<string, string>): void {
  checkRequired(schemaByName(pool.settings.Schema), attributes);
}

/** DeleteUserAttributes: the names must exist in the schema and may be written by the caller; required or immutable ones cannot go. */
export function checkAttributeDeletion(pool: PoolRecord, names: readonly string[], rules: AttributeWriteRules = {}): void {
  if (names.includes('sub')) throw errors.nonMutableAttribute('sub');
  const schema = schemaByName(pool.settings.Schema);
  const context = writeContext(rules);
  checkWritable(schema, names, context);
  checkDeletable(schema, names);
  checkMutable(schema, names, { ...context, changesExistingUser: true });
}

/**
 * The client's ReadAttributes, or undefined when it may read every attribute (no list, or an
 * empty one). `sub` is always readable: it identifies the user, as the ID token's `sub` does.
 */
export function readableAttributes(client: ClientRecord | undefined): readonly string[] | undefined {
  const list = client?.settings.ReadAttributes as string[] | undefined;
  return list && list.length > 0 ? ['sub', ...list] : undefined;
}
