/**
 * @module One pool's page body: its settings as DescribeUserPool returns them (sign-in, verified
 * attributes, MFA, password policy, deletion protection, messages), its triggers (LambdaConfig),
 * the request quotas and attempt limits this server applies to it, its domain, and links on to
 * its clients and users.
 */
import type { PoolLimits } from '../domain/records.ts';
import { html, type SafeHtml } from '../web/html.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest } from './console-types.ts';
import { dateTime, definitionList, link, seg, statusBadge, table, yesNo } from './kit/index.ts';

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function signIn(pool: Json): string {
  const usernameAttributes = list(pool.UsernameAttributes);
  const aliases = list(pool.AliasAttributes);
  const caseSensitive = obj(pool.UsernameConfiguration).CaseSensitive !== false;
  const parts = [
    usernameAttributes.length ? `${usernameAttributes.join(' or ')} as the username` : 'a username',
    ...(aliases.length ? [`aliases: ${aliases.join(', ')}`] : []),
    caseSensitive ? 'case-sensitive' : 'case-insensitive',
  ];
  return parts.join('; ');
}

function passwordPolicy(pool: Json): string {
  const p = obj(obj(pool.Policies).PasswordPolicy);
  const needs = [
    p.RequireUppercase ? 'uppercase' : '',
    p.RequireLowercase ? 'lowercase' : '',
    p.RequireNumbers ? 'numbers' : '',
    p.RequireSymbols ? 'symbols' : '',
  ].filter(Boolean);
  return [
    `at least ${String(p.MinimumLength ?? 8)} characters`,
    needs.length ? `needs ${needs.join(', ')}` : 'no character classes required',
    `temporary passwords valid ${String(p.TemporaryPasswordValidityDays ?? 7)} days`,
    ...(typeof p.PasswordHistorySize === 'number' ? [`remembers the last ${p.PasswordHistorySize}`] : []),
  ].join('; ');
}

/** LambdaConfig as rows: a trigger and its function (the sender triggers and V2 pre-token name theirs in an object). */
function triggerRows(pool: Json): [string, SafeHtml][] {
  return Object.entries(obj(pool.LambdaConfig))
    .filter(([name]) => name !== 'KMSKeyID')
    .map(([name, value]) => {
      const config = obj(value);
      const target = typeof value === 'string' ? value : String(config.LambdaArn ?? '');
      const version = typeof config.LambdaVersion === 'string' ? ` (${config.LambdaVersion})` : '';
      return [name, html`<code>${target}</code>${version}`];
    });
}

function limitRows(c: ConsoleServices, poolId: string, limits: PoolLimits | undefined): [string, string][] {
  const rows: [string, string][] = [];
  const quotas = c.limits.quotas;
  if (quotas && Object.keys(quotas).length) for (const [category, rps] of Object.entries(quotas)) rows.push([`${category} requests`, `${rps} per second (across all pools)`]);
  else rows.push(['Request quotas', 'off (the local profile applies none unless configured)']);
  rows.push(['Public operations per caller address', c.limits.perAddressRps ? `${c.limits.perAddressRps} per second` : 'off']);
  if (limits) {
    rows.push(['Confirmation attempts', `${limits.confirmAttemptsPerHour} per user per hour`]);
    rows.push(['Code resends', `${limits.resendAttemptsPerHour} per user per hour`]);
  }
  const l = c.limits.lockout;
  rows.push(['Password lockout', `after ${l.threshold} failures: ${l.baseSeconds} s, doubling up to ${l.capSeconds} s; forgotten after ${l.quietMinutes} quiet minutes`]);
  const rules = c.limits.requestRules[poolId];
  if (rules) {
    const described = rules.rules.map((r) => `${r.action} ${r.operations?.length ? r.operations.join(', ') : 'any operation'} from ${r.cidrs?.length ? r.cidrs.join(', ') : 'anywhere'}`);
    rows.push(['Request rules', [...described, `otherwise ${rules.defaultAction ?? 'allow'}`].join('; ')]);
  }
  return rows;
}

export function poolSummary(c: ConsoleServices, at: ConsoleRequest, pool: Json, extra: { limits: PoolLimits | undefined; users: string }): SafeHtml {
  const poolId = String(pool.Id);
  const template = obj(pool.VerificationMessageTemplate);
  const createConfig = obj(pool.AdminCreateUserConfig);
  const triggers = triggerRows(pool);
  const domain = typeof pool.Domain === 'string' ? pool.Domain : undefined;
  const custom = typeof pool.CustomDomain === 'string' ? pool.CustomDomain : undefined;
  const publicUrl = c.s.publicUrl.replace(/\/+$/u, '');
  return html`<p class="crumbs">${link(at, '/pools', 'Pools')} / ${String(pool.Name)}</p>
<h1>${String(pool.Name)}</h1>
<p>${link(at, `/pools/${seg(poolId)}/clients`, 'App clients')} · ${link(at, `/pools/${seg(poolId)}/users`, 'Users')}</p>
<section aria-labelledby="settings-h">
<h2 id="settings-h">Settings</h2>
${definitionList([
  ['Pool id', html`<code>${poolId}</code>`],
  ['ARN', html`<code>${String(pool.Arn ?? '')}</code>`],
  ['Tier', String(pool.UserPoolTier ?? '')],
  ['Estimated users', extra.users],
  ['Sign-in', signIn(pool)],
  ['Auto-verified attributes', list(pool.AutoVerifiedAttributes).join(', ') || 'none'],
  ['MFA', String(pool.MfaConfiguration ?? 'OFF')],
  ['Password policy', passwordPolicy(pool)],
  ['Deletion protection', statusBadge(String(pool.DeletionProtection ?? 'INACTIVE'))],
  ['Self sign-up', yesNo(createConfig.AllowAdminCreateUserOnly !== true)],
  ['Verification message', `${String(template.DefaultEmailOption ?? 'CONFIRM_WITH_CODE')}${typeof template.EmailSubject === 'string' ? `, subject “${template.EmailSubject}”` : ''}`],
  ['Created', dateTime(pool.CreationDate as number | undefined)],
  ['Last modified', dateTime(pool.LastModifiedDate as number | undefined)],
])}</section>
<section aria-labelledby="triggers-h">
<h2 id="triggers-h">Triggers</h2>
${table({ caption: 'Triggers', columns: ['Trigger', 'Function'], rows: triggers, empty: 'No triggers are configured.' })}</section>
<section aria-labelledby="limits-h">
<h2 id="limits-h">Quotas and limits this server applies</h2>
${table({ caption: 'Quotas and limits', columns: ['Limit', 'Value'], rows: limitRows(c, poolId, extra.limits) })}</section>
<section aria-labelledby="domain-h">
<h2 id="domain-h">Domain</h2>
${domain || custom
  ? definitionList([
      ...(domain ? [['Prefix domain', html`<code>${domain}</code>; its hosted pages also answer under <code>${publicUrl}/_domains/${domain}/</code>`] as [string, SafeHtml]] : []),
      ...(custom ? [['Custom domain', html`<code>${custom}</code>`] as [string, SafeHtml]] : []),
    ])
  : html`<p class="muted">No domain. CreateUserPoolDomain gives the pool its hosted pages.</p>\n`}</section>
`;
}
