/**
 * @module The README's Amplify v6 snippet ("Signing in after confirming") run verbatim in Node
 * through the `aws-amplify` umbrella package, the way users import it: auto sign-in by SRP, and the
 * `autoSignIn: { authFlowType: 'USER_AUTH' }` variant the README names, which redeems ConfirmSignUp's
 * Session (sign-in spec §5.5, §13.14).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GetUserCommand, type CognitoIdentityProviderClient, type CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { userState } from '../helpers/cognito.ts';
import { createPool } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** The origin the README's snippet talks to; the child's fetch sends it to the test server instead. */
const README_ORIGIN = 'http://127.0.0.1:9229';
const AUTO_SIGN_IN = 'autoSignIn: true';
const RESULT = 'README-SNIPPET-RESULT ';

type Json = Record<string, any>;

/** The one ```ts block of "Signing in after confirming" that imports `aws-amplify`; throws if there is not exactly one. */
function amplifySnippet(readme: string): string {
  const start = readme.indexOf('### Signing in after confirming');
  if (start < 0) throw new Error('README.md has no "### Signing in after confirming" section');
  const end = readme.indexOf('\n## ', start);
  const next = readme.indexOf('\n### ', start + 1);
  const section = readme.slice(start, Math.min(...[end, next].filter((i) => i > 0), readme.length));
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/gu)].map((m) => m[1]!).filter((b) => b.includes("from 'aws-amplify'"));
  if (blocks.length !== 1) throw new Error(`expected one Amplify \`\`\`ts block in "Signing in after confirming", found ${blocks.length}`);
  return blocks[0]!;
}

/**
 * Loaded before the snippet: Node has fetch and Amplify keeps tokens in memory, so the only setup
 * is where requests go. Calls to the README's origin are sent to the test server and recorded;
 * anything else (a real AWS endpoint, say) fails the run.
 */
const PRELOAD = `
import { appendFileSync } from 'node:fs';
const from = ${JSON.stringify(README_ORIGIN)};
const to = process.env.SNIPPET_SERVER_URL;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith(from + '/')) throw new Error('the README snippet called ' + url);
  const target = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('x-amz-target');
  const res = await realFetch(to + url.slice(from.length), input instanceof Request ? new Request(to + url.slice(from.length), input) : init);
  appendFileSync(process.env.SNIPPET_CALLS, JSON.stringify({
    operation: target ? target.split('.').pop() : 'GET ' + new URL(url).pathname,
    request: target && typeof init?.body === 'string' ? JSON.parse(init.body) : {},
    status: res.status,
    response: target ? await res.clone().json().catch(() => ({})) : {},
  }) + '\\n');
  return res;
};
`;

interface Run {
  tokens: { idToken?: string; accessToken?: string };
  calls: { operation: string; request: Json; status: number; response: Json }[];
}

/**
 * Runs `snippet` as a TypeScript module in a fresh Node process: the variables it names come
 * first, the snippet's text unchanged, then its `tokens` are printed. The process exits there:
 * Amplify's signUp with auto sign-in arms a 3-minute timer that nothing clears.
 */
async function runSnippet(snippet: string, server: TestServer, userPoolId: string, clientId: string): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'userpool-readme-'));
  try {
    // The snippet's bare imports resolve through this project's node_modules, where aws-amplify is installed.
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'preload.mjs'), PRELOAD);
    const calls = join(dir, 'calls.jsonl');
    writeFileSync(calls, '');
    const module = [
      'const userPoolId = process.env.SNIPPET_POOL_ID;',
      'const clientId = process.env.SNIPPET_CLIENT_ID;',
      snippet,
      `process.stdout.write('\\n${RESULT}' + JSON.stringify({ idToken: tokens?.idToken?.toString(), accessToken: tokens?.accessToken?.toString() }) + '\\n');`,
      'process.exit(0);',
    ].join('\n');
    writeFileSync(join(dir, 'snippet.mts'), module);
    const env = { ...process.env, SNIPPET_SERVER_URL: server.url, SNIPPET_POOL_ID: userPoolId, SNIPPET_CLIENT_ID: clientId, SNIPPET_CALLS: calls };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', '--import', './preload.mjs', 'snippet.mts'], { cwd: dir, env, timeout: 60_000 }, (error, out, err) =>
        error ? reject(new Error(`the README snippet failed: ${error.message}\n${out}\n${err}`)) : resolve(out),
      ),
    );
    const line = stdout.split('\n').find((l) => l.startsWith(RESULT));
    assert.ok(line, `the snippet printed no result:\n${stdout}`);
    const recorded = readFileSync(calls, 'utf8').split('\n').filter(Boolean);
    return { tokens: JSON.parse(line.slice(RESULT.length)) as Run['tokens'], calls: recorded.map((l) => JSON.parse(l) as Run['calls'][number]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const payload = (jwt: string): Json => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Json;

describe("the README's Amplify v6 snippet, run verbatim", () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let snippet: string;

  before(async () => {
    snippet = amplifySnippet(readFileSync(join(root, 'README.md'), 'utf8'));
    server = await startTestServer();
    idp = server.client();
  });
  after(() => server?.stop());

  /** A pool like the README's (email auto-verified) and a client with `settings`; runs `text` against them. */
  const signUpAndIn = async (text: string, settings: Partial<CreateUserPoolClientCommandInput> = {}) => {
    const { poolId, clientId } = await createPool(idp, {}, settings);
    const run = await runSnippet(text, server, poolId, clientId);
    return { poolId, clientId, ...run };
  };

  /** What the snippet ends with: ID and access tokens for carol that the server accepts. */
  const assertCarolSignedIn = async (tokens: Run['tokens'], poolId: string, clientId: string) => {
    assert.ok(tokens.idToken && tokens.accessToken, `fetchAuthSession gave no tokens: ${JSON.stringify(tokens)}`);
    const id = payload(tokens.idToken);
    const access = payload(tokens.accessToken);
    assert.deepEqual([id['cognito:username'], id.email, id.email_verified, id.aud, id.token_use], ['carol', 'carol@example.com', true, clientId, 'id']);
    assert.deepEqual([access.username, access.client_id, access.token_use], ['carol', clientId, 'access']);
    const me = await idp.send(new GetUserCommand({ AccessToken: tokens.accessToken }));
    assert.equal(me.Username, 'carol');
    assert.ok(me.UserAttributes?.some((a) => a.Name === 'email' && a.Value === 'carol@example.com'), 'GetUser lists the email');
    assert.equal((await userState(idp, poolId, 'carol')).status, 'CONFIRMED');
  };

  test('the snippet imports the aws-amplify entry points users import and talks to the default local origin', () => {
    assert.match(snippet, /^import \{ Amplify \} from 'aws-amplify';$/mu);
    assert.match(snippet, /^import \{[^}]*\} from 'aws-amplify\/auth';$/mu);
    assert.equal(snippet.split(AUTO_SIGN_IN).length, 2, `the snippet has "${AUTO_SIGN_IN}" once`);
    assert.match(snippet, /userPoolEndpoint: 'http:\/\/127\.0\.0\.1:9229'/u);
  });

  test('as written (autoSignIn: true): sign-up, the code from the outbox, confirmation, then SRP with the remembered password', async () => {
    const { poolId, clientId, tokens, calls } = await signUpAndIn(snippet);
    assert.deepEqual(
      calls.map((c) => [c.operation, c.status]),
      [['SignUp', 200], ['GET /_userpool/outbox', 200], ['ConfirmSignUp', 200], ['InitiateAuth', 200], ['RespondToAuthChallenge', 200]],
    );
    const initiate = calls.find((c) => c.operation === 'InitiateAuth')!;
    assert.equal(initiate.request.AuthFlow, 'USER_SRP_AUTH');
    assert.equal(initiate.response.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(calls.find((c) => c.operation === 'RespondToAuthChallenge')!.request.ChallengeName, 'PASSWORD_VERIFIER');
    await assertCarolSignedIn(tokens, poolId, clientId);
  });

  test("with autoSignIn: { authFlowType: 'USER_AUTH' } on an ALLOW_USER_AUTH client: ConfirmSignUp's Session signs carol in", async () => {
    const variant = snippet.replace(AUTO_SIGN_IN, "autoSignIn: { authFlowType: 'USER_AUTH' }");
    const { poolId, clientId, tokens, calls } = await signUpAndIn(variant, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    assert.deepEqual(
      calls.map((c) => [c.operation, c.status]),
      [['SignUp', 200], ['GET /_userpool/outbox', 200], ['ConfirmSignUp', 200], ['InitiateAuth', 200]],
    );
    const session = calls.find((c) => c.operation === 'ConfirmSignUp')!.response.Session as string;
    assert.ok(session, 'ConfirmSignUp returned a Session');
    const initiate = calls.find((c) => c.operation === 'InitiateAuth')!;
    assert.equal(initiate.request.AuthFlow, 'USER_AUTH');
    assert.deepEqual(initiate.request.AuthParameters, { USERNAME: 'carol' });
    assert.equal(initiate.request.Session, session);
    assert.ok(initiate.response.AuthenticationResult?.AccessToken, 'tokens straight from InitiateAuth, no challenge');
    await assertCarolSignedIn(tokens, poolId, clientId);
  });
});
