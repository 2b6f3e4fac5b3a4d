/**
 * @module The OAuth members of an app client, checked as OML §2 says: flows, callback and sign-out
 * URLs, the default redirect, identity providers, and scopes that must be reserved or defined by
 * one of the pool's resource servers.
 */
import { errors } from '../../../domain/messages.ts';
import { isAllowedRedirectUri } from '../../../domain/oauth/redirect-uris.ts';
import { definedCustomScopes, isCustomScope } from '../../../domain/oauth/scopes.ts';
import type { ConfigStore } from '../../../store/config-store.ts';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The rules that need nothing but the request and whether the client has a secret. */
export function checkOAuthSettings(settings: Record<string, unknown>, hasSecret: boolean, poolId: string): void {
  const flows = strings(settings.AllowedOAuthFlows);
  if (flows.includes('client_credentials')) {
    if (flows.length > 1) throw errors.clientCredentialsAlone();
    if (!hasSecret) throw errors.clientCredentialsNeedsSecret();
    if (!strings(settings.AllowedOAuthScopes).some(isCustomScope)) throw errors.clientCredentialsNeedsCustomScopes();
  }
  const callbacks = strings(settings.CallbackURLs);
  for (const url of callbacks) if (!isAllowedRedirectUri(url)) throw errors.invalidCallbackUrl(url);
  for (const url of strings(settings.LogoutURLs)) if (!isAllowedRedirectUri(url)) throw errors.invalidLogoutUrl(url);
  if (settings.DefaultRedirectURI !== undefined) {
    const url = String(settings.DefaultRedirectURI);
    if (!isAllowedRedirectUri(url)) throw errors.invalidCallbackUrl(url);
    if (!callbacks.includes(url)) throw errors.defaultRedirectNotCallback();
  }
  // This server has no federated identity providers yet, so COGNITO is the only one a pool holds.
  for (const provider of strings(settings.SupportedIdentityProviders)) if (provider !== 'COGNITO') throw errors.unknownIdentityProvider(provider, poolId);
}

/** Each custom scope must be `<identifier>/<name>` of a resource server of the pool as it is now. */
export async function checkCustomScopes(store: Pick<ConfigStore, 'resourceServersOfPool'>, poolId: string, settings: Record<string, unknown>): Promise<void> {
  const custom = strings(settings.AllowedOAuthScopes).filter(isCustomScope);
  if (custom.length === 0) return;
  const defined = definedCustomScopes(await store.resourceServersOfPool(poolId));
  const missing = custom.find((scope) => !defined.has(scope));
  if (missing !== undefined) throw errors.scopeNotDefined(missing);
}
