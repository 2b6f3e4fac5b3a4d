/**
 * @module The console's user pages in a real Chromium (docs/console.md, "Users"): the list with a
 * filter, creating a user, one user's page, and every action by clicking its button, each checked
 * by what the API then reports; hostile values shown as text with no script run; the user page on
 * a phone. Screenshots of every step land in test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Page } from 'playwright-core';
import { chromiumMissing, TestBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const chromium = new TestBrowser(import.meta.url);
const PASSWORD = 'Passw0rd!';
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('console users in Chromium', { skip: chromiumMissing }, () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  const usersUrl = () => `${server.url}/_console/pools/${poolId}/users`;
  const userUrl = (name: string) => `${usersUrl()}/${encodeURIComponent(name)}`;
  const getUser = (name: string) => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: name }));
  const notice = (page: Page) => page.getByRole('status').innerText();
  const click = async (page: Page, name: string) => {
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).click()]);
    await page.locator('h1').waitFor();
  };

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'browser-users', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
    clientId = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient!.ClientId!;
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Description: 'Can edit' }));
    for (const name of ['anna', 'ben']) {
      await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }, { Name: 'email_verified', Value: 'true' }] }));
    }
    await chromium.launch();
  });
  after(async () => {
    await chromium.close();
    await server?.stop();
  });

  test('the list, a filter, and creating a user by invitation', () =>
    chromium.run('list-and-create', async ({ page, shot }) => {
      await page.goto(usersUrl());
      await page.getByRole('heading', { name: 'Users of browser-users' }).waitFor();
      const table = page.getByRole('table', { name: 'Users' });
      assert.equal(await table.getByRole('row').count(), 3, 'a header and two users');
      assert.match(await table.innerText(), /anna@example\.com ✓ verified/u);
      await shot('list');

      await page.getByLabel('Filter (ListUsers syntax)').fill('username ^= "b"');
      await click(page, 'Filter');
      assert.equal(await page.getByRole('table').getByRole('row').count(), 2);
      assert.ok(await page.getByRole('link', { name: 'ben', exact: true }).isVisible());
      await shot('filtered');

      await page.getByRole('link', { name: 'Create user' }).click();
      await page.getByRole('heading', { name: 'Create a user in browser-users' }).waitFor();
      await page.getByLabel('Username').fill('carla');
      await page.getByLabel('Email', { exact: true }).fill('carla@example.com');
      await page.getByLabel('Mark email as verified').check();
      await page.getByLabel('Send the invitation', { exact: false }).check();
      await shot('create-form');
      await click(page, 'Create user');
      await page.getByRole('heading', { name: 'carla' }).waitFor();
      assert.match(await notice(page), /User carla created; invitation sent by EMAIL\./u);
      assert.equal((await getUser('carla')).UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.match(await page.getByRole('table', { name: 'Messages, newest first' }).innerText(), /temporary password/iu);
      await shot('created');
    }));

  test('every action by clicking: resend, confirm, disable, enable, reset password, groups, sign out, delete', () =>
    chromium.run('actions', async ({ page, shot }) => {
      await idp.send(new SignUpCommand({ ClientId: clientId, Username: 'dora', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'dora@example.com' }] }));
      const code = await server.latestCode('dora');
      await page.goto(userUrl('dora'));
      await page.getByRole('heading', { name: 'dora' }).waitFor();
      assert.ok(await page.getByText(code, { exact: true }).isVisible(), 'the code sent is not readable on the page');
      await shot('unconfirmed');

      await click(page, 'Resend confirmation code');
      assert.match(await notice(page), /Confirmation code sent to dora/u);
      assert.ok(await page.getByText(await server.latestCode('dora'), { exact: true }).first().isVisible());
      await click(page, 'Confirm');
      assert.match(await notice(page), /User dora confirmed\./u);
      assert.equal((await getUser('dora')).UserStatus, 'CONFIRMED');
      await shot('confirmed');

      await click(page, 'Disable');
      assert.equal((await getUser('dora')).Enabled, false);
      await shot('disabled');
      await click(page, 'Enable');
      assert.equal((await getUser('dora')).Enabled, true);

      // AdminConfirmSignUp verifies nothing (as in Cognito); AdminResetUserPassword needs a verified contact.
      await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'dora', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
      await click(page, 'Reset password');
      assert.match(await notice(page), /Password of dora reset/u);
      assert.equal((await getUser('dora')).UserStatus, 'RESET_REQUIRED');

      await page.getByLabel('Group', { exact: true }).selectOption('editors');
      await click(page, 'Add to group');
      const groups = async () => ((await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'dora' }))).Groups ?? []).map((g) => g.GroupName);
      assert.deepEqual(await groups(), ['editors']);
      await shot('in-group');
      await click(page, 'Remove');
      assert.deepEqual(await groups(), []);

      await click(page, 'Sign out everywhere');
      assert.match(await notice(page), /User dora signed out everywhere\./u);
      await shot('signed-out');

      await click(page, 'Delete user…');
      await page.getByRole('heading', { name: 'Delete dora?' }).waitFor();
      assert.equal((await getUser('dora')).Username, 'dora', 'asking deleted the user');
      await shot('delete-confirm');
      await click(page, 'Delete dora');
      assert.match(await notice(page), /User dora deleted\./u);
      await assert.rejects(getUser('dora'), { name: 'UserNotFoundException' });
      await shot('deleted');
    }));

  test('a refusal shows the API message in an alert', () =>
    chromium.run('refusal', async ({ page, shot }) => {
      await page.goto(`${usersUrl()}?filter=${encodeURIComponent('nonsense')}`);
      const alert = page.getByRole('alert');
      assert.match(await alert.innerText(), /^InvalidParameterException: /u);
      await shot('bad-filter');
    }));

  test('hostile values show as text and run nothing; the user page fits a phone', () =>
    chromium.run(
      'hostile-phone',
      async ({ page, shot }) => {
        await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'eve', UserAttributes: [{ Name: 'name', Value: HOSTILE }, { Name: 'email', Value: 'eve@example.com' }], DesiredDeliveryMediums: ['EMAIL'] }));
        let dialogs = 0;
        page.on('dialog', (d) => {
          dialogs += 1;
          void d.dismiss();
        });
        await page.goto(userUrl('eve'));
        await page.getByRole('heading', { name: 'eve' }).waitFor();
        assert.ok(await page.getByRole('table', { name: 'Attributes as AdminGetUser returns them' }).getByText(HOSTILE, { exact: true }).isVisible());
        assert.equal(await page.locator('img[src=x]').count(), 0);
        const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
        assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px viewport`);
        await shot('user-phone');
        await page.goto(usersUrl());
        await shot('list-phone');
        assert.equal(dialogs, 0, 'a hostile value ran script');
      },
      { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
    ));
});
