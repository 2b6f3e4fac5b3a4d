/**
 * @module What a change to a user's attributes does, as a pure function of the stored user and the
 * request, so the store can run it again on the locked user: which values apply at once and which
 * wait for verification (AttributesRequireVerificationBeforeUpdate), which flags drop, where codes
 * go, and which sign-in aliases are released or claimed.
 */
import type { AliasAttribute, AliasClaim, PoolRecord, UserRecord } from '../../../domain/records.ts';
import type { PoolView } from '../../../domain/pool-view.ts';
import { aliasKey } from '../../../domain/usernames.ts';
import type { AttributeCodePurpose, AttributeWrite } from '../../../store/attribute-store.ts';

export type Verifiable = 'email' | 'phone_number';
export const VERIFIABLE: readonly Verifiable[] = ['email', 'phone_number'];

export const isVerifiable = (name: string): name is Verifiable => name === 'email' || name === 'phone_number';
export const verifiedFlag = (attribute: Verifiable) => `${attribute}_verified` as const;
export const purposeOf = (attribute: Verifiable): AttributeCodePurpose => `verify_${attribute}`;
export const isVerifiedFlag = (name: string) => name === 'email_verified' || name === 'phone_number_verified';

/** The pool settings a change reads, with Cognito's defaults. */
export interface ChangeSettings {
  pool: PoolView;
  /** Attributes whose change sends a code (AutoVerifiedAttributes). */
  autoVerified: readonly Verifiable[];
  /** Attributes whose old value stays active until the new one is verified. */
  keepOriginal: readonly Verifiable[];
}

export function changeSettings(pool: PoolRecord, view: PoolView): ChangeSettings {
  const update = pool.settings.UserAttributeUpdateSettings as { AttributesRequireVerificationBeforeUpdate?: Verifiable[] } | undefined;
  return { pool: view, autoVerified: view.autoVerified, keepOriginal: update?.AttributesRequireVerificationBeforeUpdate ?? [] };
}

export interface ChangeInput {
  /** Values to write; an admin's `*_verified` flags among them. Never blank. */
  set: Readonly<Record<string, string>>;
  /** Names to delete (DeleteUserAttributes, or a blank value in an update). */
  remove: readonly string[];
}

/** A code to send: the attribute and the value it proves. */
export interface CodeTarget {
  attribute: Verifiable;
  destination: string;
}

export interface ChangePlan extends AttributeWrite {
  codes: CodeTarget[];
  /** Attributes whose live code no longer proves the value it was sent for. */
  dropCodes: Verifiable[];
}

export function planChange(user: UserRecord, input: ChangeInput, settings: ChangeSettings): ChangePlan {
  const attributes = { ...user.attributes };
  const pending = { ...user.pendingAttributes };
  const touched = new Set<Verifiable>();
  const codes: CodeTarget[] = [];

  for (const name of input.remove) {
    delete attributes[name];
    if (isVerifiable(name)) {
      delete attributes[verifiedFlag(name)];
      delete pending[name];
      touched.add(name);
    }
  }
  for (const [name, value] of Object.entries(input.set)) {
    if (!isVerifiable(name) && !isVerifiedFlag(name)) attributes[name] = value;
  }
  for (const attribute of VERIFIABLE) {
    const value = input.set[attribute];
    const flag = input.set[verifiedFlag(attribute)];
    if (value === undefined && flag === undefined) continue;
    touched.add(attribute);
    if (value === undefined) {
      // An administrator verifying the attribute: a value waiting for verification becomes the active one.
      if (flag === 'true' && pending[attribute] !== undefined) attributes[attribute] = pending[attribute]!;
      delete pending[attribute];
      attributes[verifiedFlag(attribute)] = flag!;
      continue;
    }
    const withdrawn = pending[attribute] !== undefined;
    delete pending[attribute];
    if (flag === 'true') {
      // Verified by the administrator in the same request: no code (API reference, AdminUpdateUserAttributes).
      attributes[attribute] = value;
      attributes[verifiedFlag(attribute)] = flag;
      continue;
    }
    // The same value again changes nothing, and a value waiting for verification is withdrawn.
    if (value === attributes[attribute]) {
      if (!withdrawn) touched.delete(attribute);
      continue;
    }
    if (settings.keepOriginal.includes(attribute) && attributes[attribute]) {
      pending[attribute] = value;
      codes.push({ attribute, destination: value });
      continue;
    }
    attributes[attribute] = value;
    attributes[verifiedFlag(attribute)] = 'false';
    if (settings.autoVerified.includes(attribute)) codes.push({ attribute, destination: value });
  }

  const aliases = aliasChanges(settings.pool, user.attributes, attributes);
  const coded = new Set(codes.map((c) => c.attribute));
  return { attributes, pending, ...aliases, codes, dropCodes: [...touched].filter((a) => !coded.has(a)) };
}

/**
 * VerifyUserAttribute's effect: a value waiting for verification replaces the active one, and the
 * attribute becomes verified. Undefined when there is nothing to verify.
 */
export function planVerification(user: UserRecord, attribute: Verifiable, pool: PoolView): AttributeWrite | undefined {
  const attributes = { ...user.attributes };
  const pending = { ...user.pendingAttributes };
  const waiting = pending[attribute];
  if (waiting === undefined && !attributes[attribute]) return undefined;
  if (waiting !== undefined) attributes[attribute] = waiting;
  delete pending[attribute];
  attributes[verifiedFlag(attribute)] = 'true';
  return { attributes, pending, ...aliasChanges(pool, user.attributes, attributes) };
}

/** Where a code for `attribute` goes now: the value waiting for verification, else the active one. */
export function codeDestination(user: UserRecord, attribute: Verifiable): string | undefined {
  return user.pendingAttributes?.[attribute] ?? (user.attributes[attribute] || undefined);
}

/**
 * The aliases a user holds with these attributes. In username-attribute pools the email or phone
 * number is the sign-in name whether verified or not; as alias attributes, email and phone count
 * only once verified and preferred_username once set (the rules ConfirmSignUp follows).
 */
export function heldAliases(pool: PoolView, attributes: Readonly<Record<string, string>>): AliasClaim[] {
  const signInWithAttribute = pool.usernameAttributes.length > 0;
  const kinds: readonly AliasAttribute[] = signInWithAttribute ? pool.usernameAttributes : pool.aliasAttributes;
  const held: AliasClaim[] = [];
  for (const attribute of kinds) {
    const value = attributes[attribute];
    if (!value) continue;
    const verified = attribute === 'preferred_username' || attributes[`${attribute}_verified`] === 'true';
    if (signInWithAttribute || verified) held.push({ attribute, valueKey: aliasKey(pool, attribute, value) });
  }
  return held;
}

function aliasChanges(pool: PoolView, before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): Pick<AttributeWrite, 'release' | 'claim'> {
  const key = (a: AliasClaim) => `${a.attribute}\0${a.valueKey}`;
  const was = heldAliases(pool, before);
  const now = heldAliases(pool, after);
  const wasKeys = new Set(was.map(key));
  const nowKeys = new Set(now.map(key));
  return { release: was.filter((a) => !nowKeys.has(key(a))), claim: now.filter((a) => !wasKeys.has(key(a))) };
}
