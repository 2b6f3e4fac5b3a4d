/**
 * @module The console's one-user page (/pools/:poolId/users/:username): AdminGetUser and
 * AdminListGroupsForUser through the API's own operations, the actions as POST forms, and what the
 * store keeps about the user (user-activity.ts). An action that was refused shows this page again
 * with the API's message.
 */
import type { ServerResponse } from 'node:http';
import { viewPool } from '../domain/pool-view.ts';
import { usernameKey } from '../domain/usernames.ts';
import { isCognitoError } from '../domain/errors.ts';
import { html, type SafeHtml } from '../web/html.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest } from './console-types.ts';
import { actionForm, definitionList, errorAlert, runAdminOperation, sendConsolePage, sendNotFoundPage, seg, statusBadge, table } from './kit/index.ts';
import { userActivity } from './user-activity.ts';
import { attributeMap, contact, enabledBadge, usersRoute, when } from './user-format.ts';
import { attributesSection, historySection, messagesSection, sessionsSection } from './user-sections.ts';

interface Group {
  GroupName: string;
  Description?: string;
  Precedence?: number;
}

/** Pages of a list operation read for one screen; a pool with more groups than this shows the first ones. */
const MAX_PAGES = 5;

async function allGroups(c: ConsoleServices, at: ConsoleRequest, operation: 'ListGroups' | 'AdminListGroupsForUser', input: Record<string, unknown>): Promise<Group[]> {
  const groups: Group[] = [];
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const out = await runAdminOperation(c, at, operation, { ...input, Limit: 60, ...(token ? { NextToken: token } : {}) });
    groups.push(...((out.Groups as Group[] | undefined) ?? []));
    token = out.NextToken as string | undefined;
    if (!token) break;
  }
  return groups;
}

function actionsSection(at: ConsoleRequest, poolId: string, username: string, status: string, enabled: boolean): SafeHtml {
  const to = (action: string) => usersRoute(poolId, username, action);
  const unconfirmed = status === 'UNCONFIRMED';
  return html`<section aria-labelledby="actions-h"><h2 id="actions-h">Actions</h2>
${unconfirmed ? actionForm(at, { action: to('confirm'), label: 'Confirm', confirm: 'AdminConfirmSignUp: confirms the sign-up without a code.' }) : ''}
${unconfirmed ? actionForm(at, { action: to('resend-code'), label: 'Resend confirmation code', confirm: 'ResendConfirmationCode through an app client of the pool.' }) : ''}
${enabled ? actionForm(at, { action: to('disable'), label: 'Disable', danger: true, confirm: 'AdminDisableUser: sign-in is refused and tokens stop working.' }) : actionForm(at, { action: to('enable'), label: 'Enable' })}
${actionForm(at, { action: to('reset-password'), label: 'Reset password', confirm: 'AdminResetUserPassword: sends a code; the user must set a new password.' })}
${actionForm(at, { action: to('sign-out'), label: 'Sign out everywhere', confirm: 'AdminUserGlobalSignOut: revokes every refresh token of the user.' })}
${actionForm(at, { action: to('delete'), label: 'Delete user…', danger: true, confirm: 'AdminDeleteUser, after a confirmation step.' })}
</section>`;
}

function groupsSection(at: ConsoleRequest, poolId: string, username: string, member: readonly Group[], all: readonly Group[]): SafeHtml {
  const rows = member.map((g) => [
    g.GroupName,
    g.Description ?? null,
    g.Precedence === undefined ? null : String(g.Precedence),
    actionForm(at, {
      action: usersRoute(poolId, username, 'groups/remove'),
      label: 'Remove',
      danger: true,
      fields: html`<input type="hidden" name="group" value="${g.GroupName}">`,
    }),
  ]);
  const names = new Set(member.map((g) => g.GroupName));
  const others = all.filter((g) => !names.has(g.GroupName));
  const add =
    others.length === 0
      ? html`<p class="muted">${all.length === 0 ? 'The pool has no groups.' : 'The user is in every group of the pool.'}</p>`
      : actionForm(at, {
          action: usersRoute(poolId, username, 'groups/add'),
          label: 'Add to group',
          fields: html`<div class="field"><label for="field-group">Group</label><select id="field-group" name="group">${others.map((g) => html`<option value="${g.GroupName}">${g.GroupName}</option>`)}</select></div>`,
        });
  return html`<section aria-labelledby="groups-h"><h2 id="groups-h">Groups</h2>
${table({ caption: 'Groups the user belongs to', columns: ['Group', 'Description', 'Precedence', 'Action'], rows, empty: 'The user is in no group.' })}${add}</section>`;
}

export async function sendUserPage(c: ConsoleServices, res: ServerResponse, at: ConsoleRequest, login: string, error?: { type: string; message: string }): Promise<void> {
  const poolId = at.params.poolId!;
  let got: Record<string, unknown>;
  try {
    got = await runAdminOperation(c, at, 'AdminGetUser', { UserPoolId: poolId, Username: login });
  } catch (e) {
    if (isCognitoError(e) && (e.type === 'UserNotFoundException' || e.type === 'ResourceNotFoundException' || e.type === 'InvalidParameterException')) {
      return sendNotFoundPage(res, at, error ? `${error.type}: ${error.message} (${e.message})` : e.message);
    }
    throw e;
  }
  const username = String(got.Username);
  const pool = await c.s.store.getUserPool(poolId);
  const user = pool && (await c.s.store.getUser(poolId, usernameKey(viewPool(pool), username)));
  // Gone between the two reads (a concurrent delete): the API's own words for it.
  if (!pool || !user) return sendNotFoundPage(res, at, 'User does not exist.');
  const [member, all, activity] = await Promise.all([
    allGroups(c, at, 'AdminListGroupsForUser', { UserPoolId: poolId, Username: username }),
    allGroups(c, at, 'ListGroups', { UserPoolId: poolId }),
    userActivity(c.s, user),
  ]);
  const attributes = attributeMap(got.UserAttributes);
  const status = String(got.UserStatus);
  const enabled = got.Enabled !== false;
  const locked = activity.lockedUntil !== null && activity.lockedUntil > c.s.clock.now();
  const summary = definitionList([
    ['Status', statusBadge(status)],
    ['Enabled', enabledBadge(enabled)],
    ['sub', attributes.get('sub') ? html`<code>${attributes.get('sub')}</code>` : null],
    ['Email', contact(attributes, 'email')],
    ['Phone', contact(attributes, 'phone_number')],
    ['Created', when(user.createdAt)],
    ['Last modified', when(user.updatedAt)],
    ['Password lockout', locked ? html`${statusBadge('locked')} until ${when(activity.lockedUntil)}` : 'not locked'],
  ]);
  const body = html`<p class="crumbs"><a href="${at.base}/pools">Pools</a> › <a href="${at.base}/pools/${seg(poolId)}">${pool.name}</a> › <a href="${at.base}${usersRoute(poolId)}">Users</a> › ${username}</p>
<h1>${username}</h1>
${errorAlert(error)}<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>${summary}</section>
${actionsSection(at, poolId, username, status, enabled)}
${groupsSection(at, poolId, username, member, all)}
${historySection(activity.history)}
<div id="live-messages" data-live="outbox">${messagesSection(activity.messages)}</div>
${sessionsSection(activity.families, activity.browserSessions)}
${attributesSection(attributes)}`;
  sendConsolePage(res, at, { title: `${username} · ${pool.name}`, body, nav: 'pools', status: error ? 400 : 200, scripts: ['/static/live.js'] });
}
