/** @module Assertions on Cognito errors and user state, and config files for servers a test needs set up differently. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { rejection } from './fixtures.ts';

export interface ExpectedError {
  type: string;
  message: string;
  /** HTTP status; 400 unless told (spec §1.1 observed codes). */
  status?: number;
}

/** AWS's errors that many tests expect, word for word (sources in docs/confirm-sign-up.md and docs/sign-in.md). */
export const AWS_ERRORS = {
  codeMismatch: { type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' },
  codeExpired: { type: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' },
  attemptLimit: { type: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' },
  userNotFound: { type: 'UserNotFoundException', message: 'User does not exist.' },
  userNotFoundForClient: { type: 'UserNotFoundException', message: 'Username/client id combination not found.' },
  badCredentials: { type: 'NotAuthorizedException', message: 'Incorrect username or password.' },
  sessionUsed: { type: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' },
  invalidRefreshToken: { type: 'NotAuthorizedException', message: 'Invalid Refresh Token.' },
} as const satisfies Record<string, ExpectedError>;

/** Awaits `action`, asserts it failed with exactly this `__type`, message and HTTP status, and returns the error. */
export async function assertRejects(action: () => Promise<unknown>, expected: ExpectedError) {
  const error = (await rejection(action)) as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
  assert.deepEqual(
    { type: error.name, message: error.message, status: error.$metadata?.httpStatusCode },
    { type: expected.type, message: expected.message, status: expected.status ?? 400 },
  );
  return error;
}

export interface UserState {
  username: string;
  status: string;
  enabled: boolean;
  attributes: Record<string, string>;
  lastModified: number;
}

export async function userState(client: CognitoIdentityProviderClient, poolId: string, username: string): Promise<UserState> {
  const out = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return {
    username: out.Username!,
    status: out.UserStatus!,
    enabled: out.Enabled!,
    attributes: Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name!, a.Value ?? ''])),
    lastModified: out.UserLastModifiedDate!.getTime(),
  };
}

/** Writes a JSON config file into a fresh temporary directory and returns its path, for `--config`. */
export function writeConfig(config: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'userpool-config-')), 'userpool.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** Writes a trigger module into a fresh temporary directory and returns its path. */
export function writeModule(source: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'userpool-trigger-')), 'handler.mjs');
  writeFileSync(path, source);
  return path;
}
