/**
 * @module What every hosted-UI browser test needs: a real server, a pool with a domain and two
 * code-flow clients, the app's callback server, authorize URLs with PKCE, the page steps selected
 * by label and role as the pages' contract names them, and the token exchange with aws-jwt-verify.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startCallbackServer, type CallbackServer } from './callback-server.ts';

export const PASSWORD = 'Correct-Horse-9';
export const SCOPES = 'openid email profile aws.cognito.signin.user.admin';

export interface Authorize {
  url: string;
  state: string;
  verifier: string;
  nonce: string;
}

export interface AuthorizeOptions {
  state?: string;
  scope?: string;
  redirectUri?: string;
  /** `null` leaves the method out (with the challenge still sent). */
  codeChallengeMethod?: string | null;
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

export interface HostedUi {
  server: TestServer;
  idp: CognitoIdentityProviderClient;
  poolId: string;
  prefix: string;
  /** The domain as the browser reaches it by Host: `http://<prefix>.auth.localhost:<port>`. */
  base: string;
  app: CallbackServer;
  clientA: string;
  clientB: string;
  authorize(clientId: string, options?: AuthorizeOptions): Authorize;
  /** Redeems a code at /oauth2/token (from Node, by the domain's path form) and checks the answer's shape. */
  exchange(clientId: string, code: string, verifier: string): Promise<Tokens>;
  /** Both tokens through aws-jwt-verify against the server's JWKS; returns their payloads. */
  verify(tokens: Tokens, clientId: string): Promise<{ access: JwtPayload; id: JwtPayload }>;
  /** A CONFIRMED user made through the API (SignUp, then the outbox code). */
  confirmedUser(username: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

export async function startHostedUi(prefix: string): Promise<HostedUi> {
  const server = await startTestServer();
  const app = await startCallbackServer();
  const idp = server.client();
  const pool = await idp.send(new CreateUserPoolCommand({
    PoolName: 'hosted-ui',
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'email', Required: true, Mutable: true }],
  }));
  const poolId = pool.UserPool!.Id!;
  await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
  const client = async (name: string) => (await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: name,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: SCOPES.split(' '),
    CallbackURLs: [app.callbackUrl],
    LogoutURLs: [app.signedOutUrl],
    SupportedIdentityProviders: ['COGNITO'],
  }))).UserPoolClient!.ClientId!;
  const clientA = await client('web-a');
  const clientB = await client('web-b');
  const port = new URL(server.url).port;
  const base = `http://${prefix}.auth.localhost:${port}`;
  const issuer = `${server.url}/${poolId}`;
  const jwks = await (await fetch(`${issuer}/.well-known/jwks.json`)).json();

  return {
    server, idp, poolId, prefix, base, app, clientA, clientB,
    authorize: (clientId, options = {}) => {
      const verifier = base64url(randomBytes(48));
      const state = options.state ?? base64url(randomBytes(12));
      const nonce = base64url(randomBytes(12));
      const query = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: options.redirectUri ?? app.callbackUrl,
        scope: options.scope ?? SCOPES,
        state,
        nonce,
        code_challenge: base64url(createHash('sha256').update(verifier).digest()),
      });
      if (options.codeChallengeMethod !== null) query.set('code_challenge_method', options.codeChallengeMethod ?? 'S256');
      return { url: `${base}/oauth2/authorize?${query}`, state, verifier, nonce };
    },
    exchange: async (clientId, code, verifier) => {
      const res = await fetch(`${server.url}/_domains/${prefix}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: app.callbackUrl, code_verifier: verifier }),
      });
      const text = await res.text();
      assert.equal(res.status, 200, `the token endpoint answered ${res.status} ${text}`);
      const body = JSON.parse(text) as Tokens;
      assert.equal(body.token_type, 'Bearer');
      assert.ok(body.access_token && body.id_token && body.refresh_token, `access, ID and refresh tokens: ${text}`);
      return body;
    },
    verify: async (tokens, clientId) => {
      const verifier = (tokenUse: 'access' | 'id') => {
        const v = JwtVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json`, customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId }) });
        // aws-jwt-verify fetches keys over HTTPS only; the JWKS read over HTTP above is handed to it.
        v.cacheJwks(jwks as never);
        return v;
      };
      return { access: await verifier('access').verify(tokens.access_token), id: await verifier('id').verify(tokens.id_token) };
    },
    confirmedUser: async (username, password = PASSWORD) => {
      await idp.send(new SignUpCommand({ ClientId: clientA, Username: username, Password: password, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));
      await idp.send(new ConfirmSignUpCommand({ ClientId: clientA, Username: username, ConfirmationCode: await server.latestCode(username) }));
    },
    close: async () => {
      await app.close();
      await server.stop();
    },
  };
}

/** The page's path on the domain, whichever form (Host or `/_domains/<prefix>`) it was reached by. */
export const pagePath = (page: Page) => new URL(page.url()).pathname.replace(/^\/_domains\/[^/]+/u, '');

/** Waits for the browser to be on `path` of the domain or the app. */
export async function waitForPath(page: Page, path: string): Promise<void> {
  await page.waitForURL((url) => url.pathname.replace(/^\/_domains\/[^/]+/u, '') === path);
}

/** Fills and submits the /login form by its labels, as a user would. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The text of the page's alert, tied by aria-describedby to at least one field. */
export async function alertText(page: Page): Promise<string> {
  const alert = page.getByRole('alert');
  await alert.first().waitFor();
  const id = await alert.first().getAttribute('id');
  assert.ok(id, 'the alert has an id the field can point at');
  const described = await page.locator('input[aria-describedby]').evaluateAll((inputs, alertId) =>
    inputs.filter((i) => (i.getAttribute('aria-describedby') ?? '').split(/\s+/u).includes(alertId as string)).length, id);
  assert.ok(described > 0, `a field is described by the alert #${id}`);
  return (await alert.first().innerText()).trim();
}

/** The one hit the app's callback got since `since`, with `code` and the expected `state`. */
export function callbackCode(ui: HostedUi, since: number, state: string): string {
  const hits = ui.app.at('/callback', since);
  assert.equal(hits.length, 1, `one callback hit: ${hits.map((h) => h.url).join(', ')}`);
  const [hit] = hits;
  assert.equal(hit!.query.get('state'), state, 'state comes back unchanged');
  const code = hit!.query.get('code');
  assert.ok(code, `a code on the callback: ${hit!.url}`);
  assert.equal(hit!.query.get('error'), null);
  return code;
}
