/**
 * @module A password as sign-in needs it: the argon2id hash for the password flows and the SRP
 * verifier for USER_SRP_AUTH, made together every time a password is set so the two never disagree.
 */
import { createVerifier, poolNamePart } from '../../../domain/srp.ts';
import type { PasswordHasher } from '../../../domain/passwords.ts';
import type { SecretBox } from '../../../util/secret-box.ts';

export interface NewCredentials {
  passwordHash: string;
  /** The verifier is sealed like every other secret: a database dump must not allow offline guessing. */
  srp: { salt: string; sealedVerifier: string };
}

/** `username` is the immutable username: clients put USER_ID_FOR_SRP, which is that, into the verifier. */
export async function newCredentials(s: { passwords: PasswordHasher; box: SecretBox }, poolId: string, username: string, password: string): Promise<NewCredentials> {
  const { salt, verifier } = createVerifier(poolNamePart(poolId), username, password);
  return { passwordHash: await s.passwords.hash(password), srp: { salt, sealedVerifier: s.box.encrypt(verifier) } };
}
