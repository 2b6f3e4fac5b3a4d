/**
 * @module The console's "Create user" (/pools/:poolId/users/new): the form, and AdminCreateUser
 * through the API's own operation on POST. The invitation goes to the contacts given (email,
 * phone) or is suppressed; a refusal shows the form again with the API's message.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { html, type SafeHtml } from '../web/html.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest } from './console-types.ts';
import { actionForm, errorAlert, redirectWithNotice, refusal, runAdminOperation, sendConsolePage, sendNotFoundPage, seg, textField } from './kit/index.ts';
import { usersRoute } from './user-format.ts';

interface Draft {
  username: string;
  email: string;
  phone: string;
  emailVerified: boolean;
  phoneVerified: boolean;
  suppress: boolean;
}

const EMPTY: Draft = { username: '', email: '', phone: '', emailVerified: false, phoneVerified: false, suppress: false };

function checkbox(name: string, label: string, checked: boolean): SafeHtml {
  // Not a `.field`: the stylesheet widens a field's inputs, which suits text boxes only.
  return html`<p><input type="checkbox" id="field-${name}" name="${name}" value="yes"${checked ? html` checked` : ''}> <label for="field-${name}">${label}</label></p>`;
}

function form(at: ConsoleRequest, poolId: string, d: Draft): SafeHtml {
  const fields = html`${textField({ name: 'username', label: 'Username', value: d.username, required: true, autocomplete: 'off' })}
${textField({ name: 'email', label: 'Email', value: d.email, type: 'email', autocomplete: 'off' })}
${checkbox('email_verified', 'Mark email as verified', d.emailVerified)}
${textField({ name: 'phone_number', label: 'Phone number', value: d.phone, type: 'tel', hint: 'E.164, e.g. +15555550100', autocomplete: 'off' })}
${checkbox('phone_number_verified', 'Mark phone number as verified', d.phoneVerified)}
${textField({ name: 'temporary_password', label: 'Temporary password (optional)', type: 'password', hint: 'Leave empty to have one generated and sent in the invitation.', autocomplete: 'new-password' })}
<fieldset><legend>Invitation</legend>
<div><input type="radio" id="invite-send" name="invitation" value="send"${d.suppress ? '' : html` checked`}> <label for="invite-send">Send the invitation (to the email and/or phone given)</label></div>
<div><input type="radio" id="invite-suppress" name="invitation" value="suppress"${d.suppress ? html` checked` : ''}> <label for="invite-suppress">Suppress it (MessageAction SUPPRESS)</label></div>
</fieldset>
`;
  return actionForm(at, { action: `${usersRoute(poolId)}/new`, label: 'Create user', fields });
}

async function page(c: ConsoleServices, res: ServerResponse, at: ConsoleRequest, d: Draft, error?: { type: string; message: string }): Promise<void> {
  const poolId = at.params.poolId!;
  const pool = await c.s.store.getUserPool(poolId);
  if (!pool) return sendNotFoundPage(res, at, `User pool ${poolId} does not exist.`);
  const body = html`<p class="crumbs"><a href="${at.base}/pools">Pools</a> › <a href="${at.base}/pools/${seg(poolId)}">${pool.name}</a> › <a href="${at.base}${usersRoute(poolId)}">Users</a> › New</p>
<h1>Create a user in ${pool.name}</h1>
${errorAlert(error)}<section>${form(at, poolId, d)}</section>`;
  sendConsolePage(res, at, { title: `Create user · ${pool.name}`, body, nav: 'pools', status: error ? 400 : 200 });
}

export function userCreateForm(c: ConsoleServices) {
  return (_req: IncomingMessage, res: ServerResponse, at: ConsoleRequest) => page(c, res, at, EMPTY);
}

export function userCreateAction(c: ConsoleServices) {
  return async (_req: IncomingMessage, res: ServerResponse, at: ConsoleRequest): Promise<void> => {
    const f = at.form ?? new Map<string, string>();
    const text = (name: string) => (f.get(name) ?? '').trim();
    const d: Draft = {
      username: text('username'),
      email: text('email'),
      phone: text('phone_number'),
      emailVerified: f.get('email_verified') === 'yes',
      phoneVerified: f.get('phone_number_verified') === 'yes',
      suppress: f.get('invitation') === 'suppress',
    };
    const password = f.get('temporary_password') ?? '';
    const attributes: { Name: string; Value: string }[] = [];
    if (d.email) attributes.push({ Name: 'email', Value: d.email }, ...(d.emailVerified ? [{ Name: 'email_verified', Value: 'true' }] : []));
    if (d.phone) attributes.push({ Name: 'phone_number', Value: d.phone }, ...(d.phoneVerified ? [{ Name: 'phone_number_verified', Value: 'true' }] : []));
    const mediums = [...(d.email ? ['EMAIL'] : []), ...(d.phone ? ['SMS'] : [])];
    const poolId = at.params.poolId!;
    try {
      const out = await runAdminOperation(c, at, 'AdminCreateUser', {
        UserPoolId: poolId,
        Username: d.username,
        ...(attributes.length ? { UserAttributes: attributes } : {}),
        ...(password ? { TemporaryPassword: password } : {}),
        ...(d.suppress ? { MessageAction: 'SUPPRESS' } : mediums.length ? { DesiredDeliveryMediums: mediums } : {}),
      });
      const username = String((out.User as { Username?: string } | undefined)?.Username ?? d.username);
      const how = d.suppress ? 'invitation suppressed' : mediums.length ? `invitation sent by ${mediums.join(' and ')}` : 'no email or phone to send an invitation to';
      redirectWithNotice(res, at, usersRoute(poolId, username), `User ${username} created; ${how}.`);
    } catch (e) {
      await page(c, res, at, d, refusal(e));
    }
  };
}
