/** @module Client settings as stored: everything the request carried except identity and secret fields. */
import { schemaByName } from '../../domain/attribute-schema.ts';
import { errors } from '../../domain/messages.ts';
import type { PoolRecord } from '../../domain/records.ts';
import { checkOAuthSettings } from './oauth/client-oauth.ts';
import { withoutKeys } from './shapes.ts';

const NOT_SETTINGS = ['UserPoolId', 'ClientId', 'ClientName', 'GenerateSecret', 'ClientSecret'];

/**
 * `pool`, when given, holds ReadAttributes and WriteAttributes to its schema and the OAuth members
 * to OML §2 (custom scopes are checked against the store by `checkCustomScopes`, which callers
 * await); `action` names the operation in Cognito's message ("… while creating a client").
 */
export function clientSettings(
  input: Record<string, unknown>,
  hasSecret: boolean,
  pool?: PoolRecord,
  action: 'creating' | 'updating' = 'creating',
): Record<string, unknown> {
  const settings = withoutKeys(input, NOT_SETTINGS);
  if (settings.EnablePropagateAdditionalUserContextData === true && !hasSecret) {
    throw errors.invalidParameter('EnablePropagateAdditionalUserContextData can only be set for a client with a client secret.');
  }
  if (pool) {
    checkAttributePermissions(pool, settings, action);
    checkOAuthSettings(settings, hasSecret, pool.id);
  }
  return settings;
}

/**
 * Every name in ReadAttributes and WriteAttributes must be an attribute of the pool, standard or
 * declared; `sub` is the server's and no client writes it. Neither list set (or set empty) means
 * the client may read and write every attribute but developer-only ones (docs/custom-attributes.md).
 */
export function checkAttributePermissions(pool: PoolRecord, settings: Record<string, unknown>, action: 'creating' | 'updating'): void {
  const schema = schemaByName(pool.settings.Schema);
  const read = (settings.ReadAttributes as string[] | undefined) ?? [];
  const write = (settings.WriteAttributes as string[] | undefined) ?? [];
  if (read.some((name) => !schema.has(name))) throw errors.clientAttributesInvalid('read', action);
  if (write.some((name) => !schema.has(name) || name === 'sub')) throw errors.clientAttributesInvalid('write', action);
}
