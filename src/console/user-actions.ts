/**
 * @module The console's POST actions on one user, each one call of the API's own operation through
 * `runAdminOperation` (logged with who did it), then a 303 back with a notice; a refusal shows the
 * user page again with the API's message. Delete asks first, on a page of its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientRecord } from '../domain/records.ts';
import { CognitoError } from '../domain/errors.ts';
import { secretHashInput } from '../oauth/pages/page-context.ts';
import { html } from '../web/html.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest, ConsoleRoute } from './console-types.ts';
import { actionForm, redirectWithNotice, refusal, runAdminOperation, sendConsolePage } from './kit/index.ts';
import { sendUserPage } from './user-detail-page.ts';
import { usersRoute } from './user-format.ts';

interface Action {
  operation: string;
  /** The operation's input besides UserPoolId and Username. */
  input?: (form: ReadonlyMap<string, string>) => Record<string, unknown>;
  notice: (username: string, form: ReadonlyMap<string, string>, output: Record<string, unknown>) => string;
}

function deliveredTo(output: Record<string, unknown>): string {
  const d = output.CodeDeliveryDetails as { DeliveryMedium?: string; Destination?: string } | undefined;
  return d?.Destination ? ` (${d.DeliveryMedium ?? 'code'} to ${d.Destination})` : '';
}

const group = (form: ReadonlyMap<string, string>) => ({ GroupName: form.get('group') ?? '' });

/** The plain actions: the route's last segments → the operation and the notice it leaves. */
const ACTIONS: Readonly<Record<string, Action>> = {
  confirm: { operation: 'AdminConfirmSignUp', notice: (u) => `User ${u} confirmed.` },
  disable: { operation: 'AdminDisableUser', notice: (u) => `User ${u} disabled.` },
  enable: { operation: 'AdminEnableUser', notice: (u) => `User ${u} enabled.` },
  'reset-password': { operation: 'AdminResetUserPassword', notice: (u) => `Password of ${u} reset; they must set a new one with the code sent.` },
  'sign-out': { operation: 'AdminUserGlobalSignOut', notice: (u) => `User ${u} signed out everywhere.` },
  'groups/add': { operation: 'AdminAddUserToGroup', input: group, notice: (u, f) => `User ${u} added to group ${f.get('group') ?? ''}.` },
  'groups/remove': { operation: 'AdminRemoveUserFromGroup', input: group, notice: (u, f) => `User ${u} removed from group ${f.get('group') ?? ''}.` },
};

type Handler = ConsoleRoute['handler'];

function plainAction(c: ConsoleServices, action: Action): Handler {
  return async (_req, res, at) => {
    const poolId = at.params.poolId!;
    const username = at.params.username!;
    const form = at.form ?? new Map<string, string>();
    try {
      const output = await runAdminOperation(c, at, action.operation, { UserPoolId: poolId, Username: username, ...action.input?.(form) });
      redirectWithNotice(res, at, usersRoute(poolId, username), action.notice(username, form, output));
    } catch (e) {
      await sendUserPage(c, res, at, username, refusal(e));
    }
  };
}

/**
 * ResendConfirmationCode is a client operation: it runs as the pool's first app client without a
 * secret, or else its first one with SECRET_HASH computed from the stored secret, as the hosted
 * pages do.
 */
async function resendClient(c: ConsoleServices, poolId: string): Promise<ClientRecord | undefined> {
  const clients: ClientRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await c.s.store.listClients(poolId, 60, cursor);
    clients.push(...page.items);
    cursor = page.next;
  } while (cursor && clients.length < 600);
  return clients.find((k) => k.secrets.length === 0) ?? clients[0];
}

function resendCode(c: ConsoleServices): Handler {
  return async (_req, res, at) => {
    const poolId = at.params.poolId!;
    const username = at.params.username!;
    try {
      const client = await resendClient(c, poolId);
      if (!client) throw new CognitoError('InvalidParameterException', 'The pool has no app client; ResendConfirmationCode needs one. Create a client first.');
      const output = await runAdminOperation(c, at, 'ResendConfirmationCode', { ClientId: client.clientId, Username: username, ...secretHashInput(c.s, client, username) });
      redirectWithNotice(res, at, usersRoute(poolId, username), `Confirmation code sent to ${username}${deliveredTo(output)} through client ${client.name || client.clientId}.`);
    } catch (e) {
      await sendUserPage(c, res, at, username, refusal(e));
    }
  };
}

/** The confirmation step: without `confirmed=yes` the POST only asks; the answer posts again with it. */
function deleteUser(c: ConsoleServices): Handler {
  return async (_req: IncomingMessage, res: ServerResponse, at: ConsoleRequest) => {
    const poolId = at.params.poolId!;
    const username = at.params.username!;
    if (at.form?.get('confirmed') !== 'yes') {
      const body = html`<h1>Delete ${username}?</h1>
<section><p>AdminDeleteUser removes the user, their attributes, group memberships, sessions and refresh tokens. This cannot be undone.</p>
${actionForm(at, { action: usersRoute(poolId, username, 'delete'), label: `Delete ${username}`, danger: true, fields: html`<input type="hidden" name="confirmed" value="yes">` })}
<p><a href="${at.base}${usersRoute(poolId, username)}">Cancel, keep the user</a></p></section>`;
      return sendConsolePage(res, at, { title: `Delete ${username}?`, body, nav: 'pools' });
    }
    try {
      await runAdminOperation(c, at, 'AdminDeleteUser', { UserPoolId: poolId, Username: username });
      redirectWithNotice(res, at, usersRoute(poolId), `User ${username} deleted.`);
    } catch (e) {
      await sendUserPage(c, res, at, username, refusal(e));
    }
  };
}

export function userActionRoutes(c: ConsoleServices): ConsoleRoute[] {
  const base = '/pools/:poolId/users/:username';
  return [
    ...Object.entries(ACTIONS).map(([name, action]): ConsoleRoute => ({ method: 'POST', pattern: `${base}/${name}`, handler: plainAction(c, action) })),
    { method: 'POST', pattern: `${base}/resend-code`, handler: resendCode(c) },
    { method: 'POST', pattern: `${base}/delete`, handler: deleteUser(c) },
  ];
}
