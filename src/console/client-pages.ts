/**
 * @module A pool's app clients in the console: the list (ListUserPoolClients) and one client
 * (DescribeUserPoolClient, ListUserPoolClientSecrets): auth flows, OAuth settings, token validity,
 * and its secrets, masked, with their ids and dates. Secrets rotate here through
 * AddUserPoolClientSecret and DeleteUserPoolClientSecret; a new secret's value is shown once, on
 * the answer to the POST that made it, and never again (ListUserPoolClientSecrets has no values).
 */
import type { ServerResponse } from 'node:http';
import { html } from '../web/html.ts';
import { clientDetails } from './client-details.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest, ConsoleRoute } from './console-types.ts';
import { actionForm, dateTime, errorAlert, link, pager, readForPage, redirectWithNotice, refusal, runAdminOperation, seg, sendConsolePage, table } from './kit/index.ts';

const PAGE_SIZE = 30;

type Json = Record<string, unknown>;

const clientPath = (poolId: string, clientId: string) => `/pools/${seg(poolId)}/clients/${seg(clientId)}`;

interface Shown {
  status?: number;
  /** The value AddUserPoolClientSecret just returned: the only time it is shown. */
  added?: { id: string; value: string };
  error?: { type: string; message: string };
}

async function sendClientPage(c: ConsoleServices, res: ServerResponse, at: ConsoleRequest, shown: Shown = {}): Promise<void> {
  const poolId = at.params.poolId!;
  const clientId = at.params.clientId!;
  const described = await readForPage(c, res, at, 'DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
  if (!described) return;
  // DescribeUserPoolClient returns the newest secret's value; the console never shows or keeps it.
  const { ClientSecret: _hidden, ...client } = described.UserPoolClient as Json;
  const secrets = await readForPage(c, res, at, 'ListUserPoolClientSecrets', { UserPoolId: poolId, ClientId: clientId });
  if (!secrets) return;
  const rows = ((secrets.ClientSecrets ?? []) as { ClientSecretId: string; ClientSecretCreateDate?: number }[]).map((s) => [
    html`<code>${s.ClientSecretId}</code>`,
    html`<span class="mono">••••••••••••</span> <span class="muted">(hidden)</span>`,
    dateTime(s.ClientSecretCreateDate),
    actionForm(at, {
      action: `${clientPath(poolId, clientId)}/secrets/${seg(s.ClientSecretId)}/delete`,
      label: 'Delete secret',
      danger: true,
      confirm: 'Apps still signing with this secret will be refused.',
    }),
  ]);
  const name = String(client.ClientName ?? clientId);
  sendConsolePage(res, at, {
    title: `${name} · app client`,
    nav: 'pools',
    status: shown.status ?? 200,
    body: html`<p class="crumbs">${link(at, '/pools', 'Pools')} / ${link(at, `/pools/${seg(poolId)}`, poolId)} / ${link(at, `/pools/${seg(poolId)}/clients`, 'App clients')} / ${name}</p>
<h1>${name}</h1>
${errorAlert(shown.error)}${shown.added
  ? html`<div class="secret-once" role="status"><p><strong>New secret ${shown.added.id}.</strong> Copy it now: it is not shown again.</p><code>${shown.added.value}</code></div>\n`
  : ''}${clientDetails(client)}
<section aria-labelledby="secrets-h">
<h2 id="secrets-h">Client secrets</h2>
${table({ caption: 'Client secrets', columns: ['Secret id', 'Value', 'Created', 'Action'], rows, empty: 'This client has no secret (a public client).' })}${actionForm(at, {
  action: `${clientPath(poolId, clientId)}/secrets`,
  label: 'Add a secret',
  confirm: 'A client keeps at most two secrets; add the new one, move your apps to it, then delete the old one.',
})}</section>
`,
  });
}

export function clientRoutes(c: ConsoleServices): ConsoleRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/pools/:poolId/clients',
      handler: async (_req, res, at) => {
        const poolId = at.params.poolId!;
        const next = at.url.searchParams.get('next') ?? undefined;
        const listed = await readForPage(c, res, at, 'ListUserPoolClients', { UserPoolId: poolId, MaxResults: PAGE_SIZE, ...(next ? { NextToken: next } : {}) });
        if (!listed) return;
        const clients = (listed.UserPoolClients ?? []) as { ClientId: string; ClientName: string }[];
        const rows = clients.map((cl) => [link(at, clientPath(poolId, cl.ClientId), cl.ClientName), html`<code>${cl.ClientId}</code>`]);
        sendConsolePage(res, at, {
          title: 'App clients',
          nav: 'pools',
          body: html`<p class="crumbs">${link(at, '/pools', 'Pools')} / ${link(at, `/pools/${seg(poolId)}`, poolId)} / App clients</p>
<h1>App clients</h1>
${table({ caption: 'App clients', columns: ['Name', 'Client id'], rows, empty: 'This pool has no app clients yet.' })}${pager(at, { path: `/pools/${seg(poolId)}/clients`, next: listed.NextToken as string | undefined, notFirst: next !== undefined })}`,
        });
      },
    },
    {
      method: 'GET',
      pattern: '/pools/:poolId/clients/:clientId',
      handler: (_req, res, at) => sendClientPage(c, res, at),
    },
    {
      method: 'POST',
      pattern: '/pools/:poolId/clients/:clientId/secrets',
      handler: async (_req, res, at) => {
        let added: Shown['added'];
        try {
          const out = await runAdminOperation(c, at, 'AddUserPoolClientSecret', { UserPoolId: at.params.poolId, ClientId: at.params.clientId });
          const d = out.ClientSecretDescriptor as { ClientSecretId: string; ClientSecretValue: string };
          added = { id: d.ClientSecretId, value: d.ClientSecretValue };
        } catch (error) {
          return sendClientPage(c, res, at, { status: 400, error: refusal(error) });
        }
        // Answered here rather than by a redirect, so the value never travels in a URL or survives a reload.
        await sendClientPage(c, res, at, { added });
      },
    },
    {
      method: 'POST',
      pattern: '/pools/:poolId/clients/:clientId/secrets/:secretId/delete',
      handler: async (_req, res, at) => {
        const { poolId, clientId, secretId } = at.params as Record<string, string>;
        try {
          await runAdminOperation(c, at, 'DeleteUserPoolClientSecret', { UserPoolId: poolId, ClientId: clientId, ClientSecretId: secretId });
        } catch (error) {
          return sendClientPage(c, res, at, { status: 400, error: refusal(error) });
        }
        redirectWithNotice(res, at, clientPath(poolId, clientId), `Secret ${secretId} deleted.`);
      },
    },
  ];
}
