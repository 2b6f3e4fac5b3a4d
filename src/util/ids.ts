/** @module Identifiers in the formats Amazon Cognito uses, drawn from a CSPRNG. */
import { randomInt, randomUUID } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED_ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `us-east-1_4VDEwiDWX`: the Region, an underscore and nine alphanumerics. */
export function newUserPoolId(region: string): string {
  return `${region}_${randomString(MIXED_ALNUM, 9)}`;
}

/** 26 lower-case alphanumerics, like `47r5gbil1bfhr09d5j50bekvmd`. */
export function newClientId(): string {
  return randomString(LOWER_ALNUM, 26);
}

/** 52 lower-case alphanumerics, as in AWS's published example secret. */
export function newClientSecret(): string {
  return randomString(LOWER_ALNUM, 52);
}

export function newSub(): string {
  return randomUUID();
}

export function newRequestId(): string {
  return randomUUID();
}

/** Six decimal digits, uniform and zero-padded. */
export function newConfirmationCode(): string {
  return randomInt(1_000_000).toString().padStart(6, '0');
}

/** Opaque session handle; long enough for the model's 20-character minimum with room to spare. */
export function newSessionToken(): string {
  return randomString(MIXED_ALNUM, 64);
}

export function newSecretId(clientId: string): string {
  return `${clientId}--${randomString(LOWER_ALNUM, 16)}`;
}
