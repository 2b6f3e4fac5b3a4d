/** @module Password hashing with argon2id; the hasher is an interface so tests and benchmarks share one code path. */
import { hash, verify } from '@node-rs/argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
}

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
export const argon2idHasher: PasswordHasher = {
  hash: (password) => hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }),
  verify: (stored, password) => verify(stored, password),
};
