/**
 * @module One app client's settings as DescribeUserPoolClient returns them, grouped as a person
 * reads them: how apps sign in (auth flows), the hosted UI's OAuth settings, how long tokens live.
 */
import { html, type SafeHtml } from '../web/html.ts';
import { dateTime, definitionList, yesNo } from './kit/index.ts';

type Json = Record<string, unknown>;

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function codes(values: string[]): SafeHtml | string {
  return values.length ? html`${values.map((v, i) => html`${i ? ', ' : ''}<code>${v}</code>`)}` : 'none';
}

/** Cognito's defaults when TokenValidityUnits leaves a unit out: hours for access and ID tokens, days for refresh tokens. */
function validity(client: Json, key: 'AccessToken' | 'IdToken' | 'RefreshToken', fallback: number): string {
  const units = (client.TokenValidityUnits ?? {}) as Record<string, string | undefined>;
  const value = client[`${key}Validity`];
  if (typeof value !== 'number') return key === 'RefreshToken' ? `${fallback} days` : `${fallback} minutes`;
  const unit = units[key] ?? (key === 'RefreshToken' ? 'days' : 'hours');
  return `${value} ${unit}`;
}

export function clientDetails(client: Json): SafeHtml {
  const oauthOn = client.AllowedOAuthFlowsUserPoolClient === true;
  return html`<section aria-labelledby="client-h">
<h2 id="client-h">Client</h2>
${definitionList([
  ['Client id', html`<code>${String(client.ClientId ?? '')}</code>`],
  ['Created', dateTime(client.CreationDate as number | undefined)],
  ['Last modified', dateTime(client.LastModifiedDate as number | undefined)],
  ['User existence errors', String(client.PreventUserExistenceErrors ?? 'LEGACY')],
])}</section>
<section aria-labelledby="flows-h">
<h2 id="flows-h">Authentication flows</h2>
${definitionList([
  ['Explicit auth flows', codes(list(client.ExplicitAuthFlows))],
  ['Auth session validity', `${String(client.AuthSessionValidity ?? 3)} minutes`],
  ['Token revocation', yesNo(client.EnableTokenRevocation !== false)],
])}</section>
<section aria-labelledby="oauth-h">
<h2 id="oauth-h">OAuth 2.0 and the hosted UI</h2>
${oauthOn
  ? definitionList([
      ['OAuth flows', codes(list(client.AllowedOAuthFlows))],
      ['Scopes', codes(list(client.AllowedOAuthScopes))],
      ['Callback URLs', codes(list(client.CallbackURLs))],
      ['Sign-out URLs', codes(list(client.LogoutURLs))],
      ['Default redirect URI', typeof client.DefaultRedirectURI === 'string' ? html`<code>${client.DefaultRedirectURI}</code>` : ''],
      ['Identity providers', codes(list(client.SupportedIdentityProviders))],
    ])
  : html`<p class="muted">OAuth is off for this client (AllowedOAuthFlowsUserPoolClient is false).</p>\n`}</section>
<section aria-labelledby="tokens-h">
<h2 id="tokens-h">Token validity</h2>
${definitionList([
  ['Access token', validity(client, 'AccessToken', 60)],
  ['ID token', validity(client, 'IdToken', 60)],
  ['Refresh token', validity(client, 'RefreshToken', 30)],
])}</section>
`;
}
