/**
 * @module The benchmark's scenario on the wire: a pool that emails codes (AutoVerifiedAttributes
 * email), a public app client that allows the password, SRP and refresh flows, the request bodies
 * of every phase, and the codes read back from the local profile's outbox in one call.
 */
import { post, type Target } from './load.ts';

export const PASSWORD = 'Bench-Passw0rd!';
/** The sign-in phases' flows; without ALLOW_USER_AUTH, ConfirmSignUp answers as it does for the default list. */
export const SIGN_IN_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const CALL_TIMEOUT_MS = 30_000;

export function username(i: number): string {
  return `bench-user-${String(i).padStart(6, '0')}`;
}

export function signUpBody(clientId: string, name: string): Buffer {
  return Buffer.from(
    JSON.stringify({ ClientId: clientId, Username: name, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }] }),
  );
}

export function confirmBody(clientId: string, name: string, code: string): Buffer {
  return Buffer.from(JSON.stringify({ ClientId: clientId, Username: name, ConfirmationCode: code }));
}

export function passwordSignInBody(clientId: string, name: string): Buffer {
  return Buffer.from(JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: name, PASSWORD } }));
}

export function srpStartBody(clientId: string, name: string, srpA: string): Buffer {
  return Buffer.from(JSON.stringify({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: name, SRP_A: srpA } }));
}

/** The PASSWORD_VERIFIER answer as the clients send it: USERNAME is USER_ID_FOR_SRP, the block echoed. */
export function srpAnswerBody(clientId: string, session: string, userIdForSrp: string, secretBlock: string, claim: { timestamp: string; signature: string }): Buffer {
  return Buffer.from(
    JSON.stringify({
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: clientId,
      Session: session,
      ChallengeResponses: { USERNAME: userIdForSrp, PASSWORD_CLAIM_SECRET_BLOCK: secretBlock, TIMESTAMP: claim.timestamp, PASSWORD_CLAIM_SIGNATURE: claim.signature },
    }),
  );
}

export function refreshBody(clientId: string, refreshToken: string): Buffer {
  return Buffer.from(JSON.stringify({ ClientId: clientId, RefreshToken: refreshToken }));
}

/** A ConfirmSignUp body of the real size, for the ceiling, which has no pool, client or codes. */
export function ceilingBody(i: number): Buffer {
  return confirmBody('1example23456789abcdefghij', username(i), String(100_000 + (i % 900_000)));
}

/** A set-up call outside the measurements; anything but 200 stops the run with the server's answer. */
export async function call(target: Target, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const reply = await post(target, operation, Buffer.from(JSON.stringify(input)), CALL_TIMEOUT_MS);
  if (reply.status !== 200) throw new Error(`${operation} failed with HTTP ${reply.status}: ${reply.body}`);
  return JSON.parse(reply.body) as Record<string, unknown>;
}

export async function createPoolAndClient(target: Target): Promise<{ poolId: string; clientId: string }> {
  const pool = (await call(target, 'CreateUserPool', { PoolName: 'bench', AutoVerifiedAttributes: ['email'] })).UserPool as { Id: string };
  const client = (await call(target, 'CreateUserPoolClient', { UserPoolId: pool.Id, ClientName: 'bench', ExplicitAuthFlows: SIGN_IN_FLOWS })).UserPoolClient as { ClientId: string };
  return { poolId: pool.Id, clientId: client.ClientId };
}

/** Every code sent in the pool, by username, from one GET /_userpool/outbox. */
export async function readCodes(baseUrl: string, poolId: string): Promise<Map<string, string>> {
  const res = await fetch(`${baseUrl}/_userpool/outbox?poolId=${encodeURIComponent(poolId)}`, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`GET /_userpool/outbox failed with HTTP ${res.status}: ${await res.text()}`);
  const { messages } = (await res.json()) as { messages: { username: string; code: string | null }[] };
  const codes = new Map<string, string>();
  for (const message of messages) if (message.code) codes.set(message.username, message.code);
  return codes;
}

/** The status of one user, to show the run really confirmed users and did not just get 200s. */
export async function userStatus(target: Target, poolId: string, name: string): Promise<string> {
  return String((await call(target, 'AdminGetUser', { UserPoolId: poolId, Username: name })).UserStatus);
}
