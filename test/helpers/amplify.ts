/**
 * @module Amplify JS v6 (`@aws-amplify/auth` in Node) pointed at a test server: configuration with
 * Cognito's token provider, a record of every Cognito call Amplify made through fetch, and the
 * timers Amplify leaves running. Importing this module wraps the global fetch for the process.
 */
import assert from 'node:assert/strict';
import { Amplify, ConsoleLogger } from '@aws-amplify/core';
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito';
import type { TestServer } from './server.ts';

export type Json = Record<string, any>;

/** One Cognito call Amplify made through fetch: operation, request body, HTTP status and response body. */
export interface Call {
  operation: string;
  request: Json;
  status: number;
  response: Json;
}

/** Amplify talks to the server through the global fetch; wrapping it shows which flow each API chose. */
export const calls: Call[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const target = new Headers(init?.headers).get('x-amz-target');
  const res = await realFetch(input, init);
  if (target) {
    calls.push({
      operation: target.split('.').pop() ?? target,
      request: JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Json,
      status: res.status,
      response: (await res.clone().json().catch(() => ({}))) as Json,
    });
  }
  return res;
};

/** Puts the process's fetch back; call once the file's tests are done. */
export function restoreFetch(): void {
  globalThis.fetch = realFetch;
}

// Amplify warns on every configure that the endpoint is custom; that is the point here.
ConsoleLogger.LOG_LEVEL = 'ERROR';

export const operations = (since: number): string[] => calls.slice(since).map((c) => c.operation);

export function lastCall(operation: string, since = 0): Call {
  const found = calls.slice(since).filter((c) => c.operation === operation).pop();
  assert.ok(found, `Amplify made no ${operation} call; it made ${JSON.stringify(operations(since))}`);
  return found;
}

/**
 * `Amplify.configure` from `@aws-amplify/core` alone has no token provider; the `aws-amplify` umbrella
 * package wires Cognito's in. Doing the same here: tokens then live in Amplify's in-memory storage (Node).
 */
export function configure(server: TestServer, userPoolId: string, userPoolClientId: string): void {
  const auth = { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: server.url } };
  cognitoUserPoolsTokenProvider.setAuthConfig(auth);
  Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
}

/**
 * Amplify's signUp with auto sign-in arms a 3-minute timer (its auto sign-in window) that is never
 * cleared when confirmation succeeds; unref it so this test process does not wait for it.
 */
export async function withUnrefTimers<T>(action: () => Promise<T>): Promise<T> {
  const original = globalThis.setTimeout;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => original(...args).unref()) as typeof setTimeout;
  try {
    return await action();
  } finally {
    globalThis.setTimeout = original;
  }
}

/** A JWT's claims, unverified: the tests read what Amplify was given. */
export const decode = (jwt: string): Json => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Json;
