/**
 * @module The console's user pages over raw HTTP with a cookie jar (docs/console.md, "Users"):
 * the list with the ListUsers filter and paging, creating a user, one user's page (status history,
 * messages with their codes, sessions), and every action, each checked by what the API reports
 * afterwards; refusals shown with the API's message; hostile values shown as text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { csrfOf, FormBrowser, type Page } from '../helpers/form-browser.ts';
import { startTestServer, testDb, type TestServer } from '../helpers/server.ts';

const PASSWORD = 'Passw0rd!';
const CALLBACK = 'http://localhost:3000/cb';
const HOSTILE_NAME = '<script>alert("x")</script>\'';
const HOSTILE_USER = '<svg/onload=alert(1)>';

const users = (poolId: string) => `/_console/pools/${encodeURIComponent(poolId)}/users`;
const userPath = (poolId: string, username: string) => `${users(poolId)}/${encodeURIComponent(username)}`;

/** The role="alert" element's text, tags stripped (it holds the AWS type in <strong>). */
function alertText(page: Page): string {
  const m = /role="alert">([\s\S]*?)<\/(div|p)>/u.exec(page.text);
  return m ? m[1]!.replace(/<[^>]+>/gu, '') : '';
}

function noticeText(page: Page): string {
  return /class="notice" role="status">([^<]*)</u.exec(page.text)?.[1] ?? '';
}

function section(page: Page, id: string): string {
  const start = page.text.indexOf(`aria-labelledby="${id}"`);
  assert.ok(start >= 0, `no section ${id} in:\n${page.text}`);
  return page.text.slice(start, page.text.indexOf('</section>', start));
}

describe('console: users', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let browser: FormBrowser;

  /** GET the user's page, then POST one of its actions with the page's CSRF token; follows the 303. */
  const act = async (username: string, action: string, fields: Record<string, string> = {}): Promise<{ post: Page; landed?: Page }> => {
    const page = await browser.get(userPath(poolId, username));
    const post = await browser.post(`${userPath(poolId, username)}/${action}`, page, fields);
    if (post.status !== 303) return { post };
    return { post, landed: await browser.get(post.location) };
  };
  const getUser = (username: string) => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

  before(async () => {
    server = await startTestServer({ db: testDb() });
    browser = new FormBrowser(server.url);
    idp = server.client();
    const pool = await idp.send(new CreateUserPoolCommand({ PoolName: 'console-users', AutoVerifiedAttributes: ['email'] }));
    poolId = pool.UserPool!.Id!;
    const client = await idp.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    clientId = client.UserPoolClient!.ClientId!;
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Description: 'Admins' }));
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'readers' }));
  });
  after(() => server?.stop());

  test('lists users with status, enabled and verified marks, filters by the ListUsers syntax and shows its refusal', async () => {
    const other = await idp.send(new CreateUserPoolCommand({ PoolName: 'listing' }));
    const id = other.UserPool!.Id!;
    for (const name of ['alice', 'albert', 'bob', 'carol', 'dave']) {
      await idp.send(new AdminCreateUserCommand({ UserPoolId: id, Username: name, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }, { Name: 'email_verified', Value: name === 'alice' ? 'true' : 'false' }] }));
    }
    const list = await browser.get(users(id));
    assert.equal(list.status, 200, list.text);
    for (const name of ['alice', 'albert', 'bob', 'carol', 'dave']) assert.match(list.text, new RegExp(`href="/_console/pools/${id}/users/${name}">${name}</a>`, 'u'));
    assert.match(list.text, /alice@example\.com <span class="badge badge-ok">✓ verified<\/span>/u);
    assert.match(list.text, /bob@example\.com <span class="badge badge-plain">unverified<\/span>/u);
    assert.match(list.text, /FORCE_CHANGE_PASSWORD/u);
    assert.match(list.text, new RegExp(`href="/_console/pools/${id}/users/new">Create user</a>`, 'u'));

    const filtered = await browser.get(`${users(id)}?filter=${encodeURIComponent('email ^= "al"')}`);
    assert.equal(filtered.status, 200);
    assert.match(filtered.text, />alice</u);
    assert.match(filtered.text, />albert</u);
    assert.doesNotMatch(filtered.text, />bob</u, 'the filter was not applied');
    assert.match(filtered.text, /value="email \^= &quot;al&quot;"/u, 'the filter field keeps what was typed');

    const bad = await browser.get(`${users(id)}?filter=${encodeURIComponent('shoe_size = "9"')}`);
    assert.equal(bad.status, 400);
    assert.match(alertText(bad), /^InvalidParameterException: /u);
  });

  test('pages with ListUsers\' PaginationToken: next, then back to the first page', async () => {
    const other = await idp.send(new CreateUserPoolCommand({ PoolName: 'paging' }));
    const id = other.UserPool!.Id!;
    const names = ['u1', 'u2', 'u3', 'u4', 'u5'];
    for (const name of names) await idp.send(new AdminCreateUserCommand({ UserPoolId: id, Username: name, MessageAction: 'SUPPRESS' }));
    const seen: string[] = [];
    let page = await browser.get(`${users(id)}?limit=2`);
    assert.doesNotMatch(page.text, />First page</u, 'the first page offers itself');
    for (let i = 0; i < 5; i++) {
      seen.push(...[...page.text.matchAll(/users\/(u\d)">/gu)].map((m) => m[1]!));
      const next = /href="([^"]+)" rel="next">Next page</u.exec(page.text)?.[1]?.replaceAll('&amp;', '&');
      if (!next) break;
      assert.match(next, /[?&]token=[^&]+/u);
      assert.match(next, /limit=2/u, 'the page size was lost');
      page = await browser.get(next);
      assert.equal(page.status, 200, page.text);
      assert.match(page.text, />First page</u);
    }
    assert.deepEqual(seen.sort(), names, 'paging lost or repeated users');
    const first = /href="([^"]+)">First page</u.exec(page.text)![1]!;
    assert.doesNotMatch(first, /token=/u);
  });

  test('creates a user by invitation, or without one, and shows AdminCreateUser\'s refusal', async () => {
    const form = await browser.get(`${users(poolId)}/new`);
    assert.equal(form.status, 200);
    assert.match(form.text, /<label for="field-username">Username<\/label>/u);
    const created = await browser.post(`${users(poolId)}/new`, form, { username: 'invited', email: 'invited@example.com', email_verified: 'yes', invitation: 'send', temporary_password: 'Temp0rary!pass' });
    assert.equal(created.status, 303, created.text);
    assert.equal(new URL(created.location, server.url).pathname, userPath(poolId, 'invited'));
    const landed = await browser.get(created.location);
    assert.match(noticeText(landed), /User invited created; invitation sent by EMAIL\./u);
    const got = await getUser('invited');
    assert.equal(got.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(got.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');
    const sent = await server.outbox('invited');
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.body, /Temp0rary!pass/u);
    assert.match(section(landed, 'messages-h'), /Temp0rary!pass/u, 'the invitation text is not on the page');
    assert.doesNotMatch(server.output(), /Temp0rary!pass/u, 'the temporary password reached the log');

    const quiet = await browser.post(`${users(poolId)}/new`, form, { username: 'quiet', email: 'quiet@example.com', invitation: 'suppress' });
    assert.equal(quiet.status, 303);
    assert.equal((await server.outbox('quiet')).length, 0, 'a suppressed invitation was sent');

    const again = await browser.post(`${users(poolId)}/new`, form, { username: 'quiet', invitation: 'suppress' });
    assert.equal(again.status, 400);
    assert.equal(alertText(again), 'UsernameExistsException: User account already exists');
    assert.match(again.text, /name="username" type="text" value="quiet"/u, 'the form lost what was typed');
  });

  test('one user: status history, the messages sent with their codes, confirm and resend through the API', async () => {
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: 'signer', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'signer@example.com' }] }));
    const code = await server.latestCode('signer');
    let page = await browser.get(userPath(poolId, 'signer'));
    assert.equal(page.status, 200, page.text);
    assert.match(section(page, 'summary-h'), /UNCONFIRMED/u);
    assert.match(section(page, 'messages-h'), new RegExp(`<code class="message-code">${code}</code>`, 'u'));
    assert.match(section(page, 'messages-h'), /EMAIL to signer@example\.com/u);
    const history = section(page, 'history-h');
    assert.match(history, /Created/u);
    assert.match(history, /Code sent/u);
    assert.doesNotMatch(history, /Confirmed/u, 'not confirmed yet');

    const resent = await act('signer', 'resend-code');
    assert.equal(resent.post.status, 303, resent.post.text);
    assert.match(noticeText(resent.landed!), /Confirmation code sent to signer \(EMAIL to s\*\*\*@e\*\*\*\) through client web\./u);
    const newCode = await server.latestCode('signer');
    assert.equal((await server.outbox('signer')).length, 2);
    const rows = section(resent.landed!, 'messages-h').match(/message-code">(\d+)</gu)!;
    assert.equal(rows.length, 2);
    assert.ok(rows[0]!.includes(newCode), 'the newest message is not listed first');

    const confirmed = await act('signer', 'confirm');
    assert.equal(confirmed.post.status, 303);
    assert.match(noticeText(confirmed.landed!), /User signer confirmed\./u);
    assert.equal((await getUser('signer')).UserStatus, 'CONFIRMED');

    const twice = await act('signer', 'confirm');
    assert.equal(twice.post.status, 400);
    assert.match(alertText(twice.post), /^NotAuthorizedException: User cannot be confirmed\. Current status is CONFIRMED/u);
    page = await browser.get(userPath(poolId, 'signer'));
    assert.doesNotMatch(page.text, />Confirm<\/button>/u, 'a confirmed user is offered Confirm');
    assert.match(section(page, 'history-h'), />Confirmed<\/td><td data-label="Detail">sign-up confirmed</u, 'the confirmation is in the history');
  });

  test('disable and enable, reset password, groups add and remove: each as the API then reports', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'worker', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'worker@example.com' }, { Name: 'email_verified', Value: 'true' }] }));
    assert.equal((await act('worker', 'disable')).post.status, 303);
    assert.equal((await getUser('worker')).Enabled, false);
    const enabled = await act('worker', 'enable');
    assert.match(noticeText(enabled.landed!), /User worker enabled\./u);
    assert.equal((await getUser('worker')).Enabled, true);

    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'worker', Password: PASSWORD, Permanent: true }));
    const reset = await act('worker', 'reset-password');
    assert.equal(reset.post.status, 303, reset.post.text);
    assert.equal((await getUser('worker')).UserStatus, 'RESET_REQUIRED');
    assert.ok(await server.latestCode('worker'), 'no reset code was sent');

    const page = await browser.get(userPath(poolId, 'worker'));
    assert.match(section(page, 'groups-h'), /<option value="admins">admins<\/option><option value="readers">readers<\/option>/u);
    const added = await act('worker', 'groups/add', { group: 'readers' });
    assert.match(noticeText(added.landed!), /User worker added to group readers\./u);
    const groups = async () => ((await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'worker' }))).Groups ?? []).map((g) => g.GroupName);
    assert.deepEqual(await groups(), ['readers']);
    assert.doesNotMatch(section(added.landed!, 'groups-h'), /<option value="readers">/u, 'a group the user is in is offered again');
    const listed = await browser.get(`${users(poolId)}?filter=${encodeURIComponent('username = "worker"')}`);
    assert.match(listed.text, /<td data-label="Groups">readers<\/td>/u, 'the users list shows the group');
    const removed = await act('worker', 'groups/remove', { group: 'readers' });
    assert.equal(removed.post.status, 303);
    assert.deepEqual(await groups(), []);
    const missing = await act('worker', 'groups/add', { group: 'nope' });
    assert.equal(missing.post.status, 400);
    assert.match(alertText(missing.post), /^ResourceNotFoundException: /u);

    assert.match(server.output(), /"actor":"local","operation":"AdminDisableUser","poolId":"[^"]+","username":"worker","outcome":"ok"/u);
  });

  test('sessions and refresh tokens: API families and hosted UI browser sessions listed, families revoked by "sign out everywhere"', async () => {
    const hosted = (await idp.send(new CreateUserPoolCommand({ PoolName: 'sessions' }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: hosted, Domain: 'console-sessions' }));
    const app = (
      await idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: hosted,
          ClientName: 'app',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await idp.send(new AdminCreateUserCommand({ UserPoolId: hosted, Username: 'roamer', MessageAction: 'SUPPRESS' }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: hosted, Username: 'roamer', Password: PASSWORD, Permanent: true }));
    const auth = await idp.send(new InitiateAuthCommand({ ClientId: app, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'roamer', PASSWORD } }));
    const refresh = auth.AuthenticationResult!.RefreshToken!;
    const query = new URLSearchParams({ client_id: app, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 's' });
    assert.match(await new FormBrowser(server.url).signIn(`/_domains/console-sessions/oauth2/authorize?${query}`, 'roamer', PASSWORD), /code=/u);

    let page = await browser.get(userPath(hosted, 'roamer'));
    const sessions = section(page, 'sessions-h');
    assert.match(sessions, /<p>2 active\./u);
    assert.match(sessions, new RegExp(`<code>${app}</code>`, 'u'));
    assert.match(sessions, /<caption>Hosted UI browser sessions/u);
    assert.doesNotMatch(page.text, new RegExp(refresh.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'), 'u'), 'the refresh token is on the page');
    assert.match(section(page, 'history-h'), /Signed in<\/td><td data-label="Detail">client /u);
    assert.match(section(page, 'history-h'), /hosted UI browser session/u);

    const out = await browser.post(`${userPath(hosted, 'roamer')}/sign-out`, page, {});
    assert.equal(out.status, 303, out.text);
    assert.match(noticeText(await browser.get(out.location)), /User roamer signed out everywhere\./u);
    await assert.rejects(idp.send(new InitiateAuthCommand({ ClientId: app, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refresh } })), { name: 'NotAuthorizedException' });
    page = await browser.get(userPath(hosted, 'roamer'));
    assert.match(section(page, 'sessions-h'), /<code>[^<]+<\/code><\/td>(<td[^>]*>.*?<\/td>){3}<td data-label="State"><span class="badge badge-plain">revoked<\/span>/u);
    assert.match(section(page, 'history-h'), /Signed out/u);
  });

  test('a lockout after wrong passwords shows in the summary and the status history', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'guesser', MessageAction: 'SUPPRESS' }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'guesser', Password: PASSWORD, Permanent: true }));
    let page = await browser.get(userPath(poolId, 'guesser'));
    assert.doesNotMatch(section(page, 'history-h'), /Locked out/u);
    for (let i = 0; i < 5; i++) {
      await assert.rejects(idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'guesser', PASSWORD: 'Wrong-pass1' } })));
    }
    page = await browser.get(userPath(poolId, 'guesser'));
    assert.match(section(page, 'history-h'), /Locked out<\/td><td data-label="Detail">(until|ended) [^<]+, after 5 wrong passwords/u);
  });

  test('delete asks first, then deletes through AdminDeleteUser', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'leaver', MessageAction: 'SUPPRESS' }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'leaver', GroupName: 'admins' }));
    const ask = await act('leaver', 'delete');
    assert.equal(ask.post.status, 200);
    assert.match(ask.post.text, /<h1>Delete leaver\?<\/h1>/u);
    assert.equal((await getUser('leaver')).Username, 'leaver', 'the first step deleted the user');
    const done = await browser.post(`${userPath(poolId, 'leaver')}/delete`, ask.post, { confirmed: 'yes' });
    assert.equal(done.status, 303);
    assert.equal(new URL(done.location, server.url).pathname, users(poolId));
    assert.match(noticeText(await browser.get(done.location)), /User leaver deleted\./u);
    await assert.rejects(getUser('leaver'), { name: 'UserNotFoundException' });
    const gone = await browser.get(userPath(poolId, 'leaver'));
    assert.equal(gone.status, 404);
    assert.match(gone.text, /User does not exist\./u);
  });

  test('hostile usernames and attribute values show as text on the list and the user page', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: HOSTILE_USER, UserAttributes: [{ Name: 'name', Value: HOSTILE_NAME }, { Name: 'email', Value: 'hostile@example.com' }], DesiredDeliveryMediums: ['EMAIL'] }));
    const list = await browser.get(users(poolId));
    const page = await browser.get(userPath(poolId, HOSTILE_USER));
    assert.equal(page.status, 200, page.text);
    for (const p of [list, page]) {
      assert.doesNotMatch(p.text, /<svg|<script>alert/u);
      assert.match(p.text, /&lt;svg\/onload=alert\(1\)&gt;/u);
    }
    assert.match(section(page, 'attributes-h'), /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&#39;/u);
    assert.match(section(page, 'messages-h'), /&lt;svg\/onload=alert\(1\)&gt;/u, 'the invitation naming the user is not on the page');
    const disabled = await act(HOSTILE_USER, 'disable');
    assert.equal(disabled.post.status, 303);
    assert.equal((await getUser(HOSTILE_USER)).Enabled, false);
    assert.doesNotMatch(disabled.landed!.text, /<svg/u);
  });

  test('a user named "new" is reached from the list, not the create form', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'new', MessageAction: 'SUPPRESS' }));
    const list = await browser.get(`${users(poolId)}?filter=${encodeURIComponent('username = "new"')}`);
    const href = /<a href="([^"]+)">new<\/a>/u.exec(list.text)?.[1];
    assert.ok(href, list.text);
    const page = await browser.get(href);
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>new<\/h1>/u);
    const disabled = await browser.post(`${users(poolId)}/new/disable`, page, {});
    assert.equal(disabled.status, 303);
    assert.equal((await getUser('new')).Enabled, false);
    assert.match((await browser.get(`${users(poolId)}/new`)).text, /<h1>Create a user in /u);
  });

  test('an action without the page\'s CSRF token changes nothing', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'guarded', MessageAction: 'SUPPRESS' }));
    const forged = await browser.request(`${userPath(poolId, 'guarded')}/disable`, { form: { _csrf: 'forged' } });
    assert.equal(forged.status, 403);
    assert.equal((await getUser('guarded')).Enabled, true);
    const page = await browser.get(userPath(poolId, 'guarded'));
    assert.ok(csrfOf(page));
  });
});
