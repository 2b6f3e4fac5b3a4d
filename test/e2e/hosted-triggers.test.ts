/**
 * @module The hosted pages run the pool's Lambda triggers as the API does (OML §5.1, §5.2;
 * docs/oauth.md "Hosted pages"): PreAuthentication can refuse a sign-in with its message on the
 * page, PostAuthentication runs after a hosted sign-in, a PreSignUp that auto-confirms sends the
 * browser straight to the callback. Also "Continue as" with a live browser session, and the
 * change-password form asking for a required attribute the account lacks, and the pool's branding.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { writeConfig, writeModule } from '../helpers/cognito.ts';
import { alertOf, FormBrowser as Browser } from '../helpers/form-browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CALLBACK = 'http://localhost:4000/callback';
const PASSWORD = 'Passw0rd!';
const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;


describe('hosted pages with triggers and sessions', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  const log = join(mkdtempSync(join(tmpdir(), 'hosted-triggers-')), 'events.log');
  const recorder = `import { appendFileSync } from 'node:fs';\nconst log = (e) => appendFileSync(${JSON.stringify(log)}, JSON.stringify({ source: e.triggerSource, user: e.userName, scopes: e.request.scopes }) + '\\n');\n`;
  const events = () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { source: string; user: string; scopes?: string[] });

  before(async () => {
    const functions = {
      [arn('auto-confirm')]: { module: writeModule(`${recorder}export async function handler(e) { log(e); e.response.autoConfirmUser = true; e.response.autoVerifyEmail = true; return e; }`) },
      [arn('pre-auth')]: { module: writeModule(`${recorder}export async function handler(e) { log(e); if (e.userName === 'blocked') throw new Error('Not today'); return e; }`) },
      [arn('post-auth')]: { module: writeModule(`${recorder}export async function handler(e) { log(e); return e; }`) },
      [arn('pre-token')]: { module: writeModule(`${recorder}export async function handler(e) { log(e); e.response = { claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToAdd: ['extra/one'] } } }; return e; }`) },
    };
    server = await startTestServer({ args: ['--config', writeConfig({ functions })] });
    idp = server.client();
  });
  after(() => server.stop());

  const setUp = async (domain: string, pool: Partial<CreateUserPoolCommandInput>) => {
    const poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: domain, AutoVerifiedAttributes: ['email'], ...pool }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
    const clientId = (
      await idp.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'] }),
      )
    ).UserPoolClient!.ClientId!;
    const query = (extra: Record<string, string> = {}) => new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', state: 's-1', ...extra }).toString();
    const user = async (username: string, attributes: Record<string, string> = { email: `${username}@example.com`, email_verified: 'true' }) => {
      await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }));
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    };
    return { poolId, clientId, user, path: (page: string, extra: Record<string, string> = {}) => `/_domains/${domain}${page}?${query(extra)}` };
  };

  test('PreAuthentication refuses on the page with its message; PostAuthentication runs after a hosted sign-in', async () => {
    const site = await setUp('trig-auth', { LambdaConfig: { PreAuthentication: arn('pre-auth'), PostAuthentication: arn('post-auth') } });
    await site.user('blocked');
    await site.user('welcome');
    const browser = new Browser(server.url);
    const form = await browser.request(site.path('/login'));
    const refused = await browser.submit(form, { username: 'blocked', password: PASSWORD }, 'Sign in');
    assert.equal(refused.status, 200);
    assert.equal(alertOf(refused), 'PreAuthentication failed with error Not today.');
    const done = await browser.submit(form, { username: 'welcome', password: PASSWORD }, 'Sign in');
    assert.equal(done.status, 302, done.text);
    assert.deepEqual(
      events().filter((e) => e.user === 'welcome').map((e) => e.source),
      ['PreAuthentication_Authentication', 'PostAuthentication_Authentication'],
    );
  });

  test('PreTokenGeneration (v2) is told TokenGeneration_HostedAuth and the granted scopes when a hosted sign-in\'s code is redeemed', async () => {
    const site = await setUp('trig-token', { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: arn('pre-token') } } });
    await site.user('tina');
    const browser = new Browser(server.url);
    const done = await browser.submit(await browser.request(site.path('/login', { scope: 'openid' })), { username: 'tina', password: PASSWORD }, 'Sign in');
    const code = new URL(done.location).searchParams.get('code')!;
    const res = await fetch(`${server.url}/_domains/trig-token/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: site.clientId, code, redirect_uri: CALLBACK }).toString(),
    });
    const body = (await res.json()) as { access_token: string };
    assert.equal(res.status, 200);
    assert.deepEqual(events().filter((e) => e.user === 'tina'), [{ source: 'TokenGeneration_HostedAuth', user: 'tina', scopes: ['openid'] }]);
    const scope = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString('utf8')).scope as string;
    assert.equal(scope, 'openid extra/one', 'the function\'s added scope is in the access token');
  });

  test('a PreSignUp that auto-confirms sends the browser from /signup straight to the callback', async () => {
    const site = await setUp('trig-signup', { LambdaConfig: { PreSignUp: arn('auto-confirm') } });
    const browser = new Browser(server.url);
    const done = await browser.submit(await browser.request(site.path('/signup')), { username: 'quick', email: 'quick@example.com', password: PASSWORD }, 'Sign up');
    assert.equal(done.status, 302, done.text);
    assert.match(done.location, /^http:\/\/localhost:4000\/callback\?code=[^&]+&state=s-1$/u);
    assert.equal((await idp.send(new AdminGetUserCommand({ UserPoolId: site.poolId, Username: 'quick' }))).UserStatus, 'CONFIRMED');
    assert.deepEqual((await server.outbox('quick')).length, 0, 'no code was needed');
  });

  test('with a live session /login offers "Continue as <user>", except with prompt=login', async () => {
    const site = await setUp('trig-session', {});
    await site.user('sam');
    const browser = new Browser(server.url);
    const first = await browser.submit(await browser.request(site.path('/login')), { username: 'sam', password: PASSWORD }, 'Sign in');
    assert.equal(first.status, 302);
    const again = await browser.request(site.path('/login'));
    const resumed = await browser.submit(again, {}, 'Continue as sam');
    assert.equal(resumed.status, 302, resumed.text);
    assert.match(resumed.location, /^http:\/\/localhost:4000\/callback\?code=/u);
    const fresh = await browser.request(site.path('/login', { prompt: 'login' }));
    assert.doesNotMatch(fresh.text, /Continue as/u);
    const stranger = new Browser(server.url);
    const noSession = await stranger.request(site.path('/login'));
    assert.doesNotMatch(noSession.text, /Continue as/u);
    // A continue form posted without a session does not sign anyone in.
    const forged = await stranger.request(site.path('/login'), { form: { _csrf: /name="_csrf" value="([^"]+)"/u.exec(noSession.text)![1]!, continue: '1' } });
    assert.equal(forged.status, 200);
    assert.equal(alertOf(forged), 'Your session has expired. Please sign in again.');
  });

  test('the change-password form asks for a required attribute the account lacks, and keeps the session on a refusal', async () => {
    const schema = [{ Name: 'name', AttributeDataType: 'String' as const, Required: true, Mutable: true }];
    const site = await setUp('trig-newpass', { Schema: schema });
    await idp.send(new AdminCreateUserCommand({ UserPoolId: site.poolId, Username: 'nina', TemporaryPassword: 'Temp0rary!', MessageAction: 'SUPPRESS' }));
    const browser = new Browser(server.url);
    const change = await browser.submit(await browser.request(site.path('/login')), { username: 'nina', password: 'Temp0rary!' }, 'Sign in');
    assert.match(change.text, /<h1>Change password<\/h1>/u);
    assert.match(change.text, /<label for="field-name">Name<\/label>/u);
    const missing = await browser.submit(change, { new_password: 'Brand-new1!', confirm_password: 'Brand-new1!', name: '' }, 'Change password');
    assert.equal(alertOf(missing), 'Invalid attributes given, name is missing');
    assert.match(missing.text, /name="name" type="text"[^>]*aria-describedby="form-error"/u);
    const done = await browser.submit(missing, { new_password: 'Brand-new1!', confirm_password: 'Brand-new1!', name: 'Nina' }, 'Change password');
    assert.equal(done.status, 302, done.text);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: site.poolId, Username: 'nina' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal(user.UserAttributes?.find((a) => a.Name === 'name')?.Value, 'Nina');
  });

  test('branding from the pool\'s tags: an https logo (its origin added to img-src), a data-URL logo, colours set by UpdateUserPool', async () => {
    const site = await setUp('trig-brand', { UserPoolTags: { 'userpool:branding:logo': 'https://cdn.example.com/logo.svg' } });
    const browser = new Browser(server.url);
    const res = await fetch(server.url + site.path('/login'));
    const text = await res.text();
    assert.match(text, /<img class="logo" src="https:\/\/cdn\.example\.com\/logo\.svg" alt="">/u);
    assert.match(res.headers.get('content-security-policy')!, /img-src 'self' data: https:\/\/cdn\.example\.com;/u);

    const dot = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E'.replaceAll(' ', '%20');
    await idp.send(new UpdateUserPoolCommand({ UserPoolId: site.poolId, AutoVerifiedAttributes: ['email'], UserPoolTags: { 'userpool:branding:logo': dot, 'userpool:branding:primary-color': '#0b6e4f' } }));
    const page = await browser.request(site.path('/login'));
    assert.ok(page.text.includes(`<img class="logo" src="${dot}" alt="">`), page.text);
    const css = await browser.request(`/_domains/trig-brand/static/style.css`);
    assert.match(css.text, /--primary: #0b6e4f;/u);

    await idp.send(new UpdateUserPoolCommand({ UserPoolId: site.poolId, AutoVerifiedAttributes: ['email'], UserPoolTags: { 'userpool:branding:logo': 'javascript:alert(1)' } }));
    assert.doesNotMatch((await browser.request(site.path('/login'))).text, /<img/u, 'a logo of another scheme is ignored');
  });
});
