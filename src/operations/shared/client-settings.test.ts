import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declareAttributes } from '../../domain/attribute-schema.ts';
import type { PoolRecord } from '../../domain/records.ts';
import { clientSettings } from './client-settings.ts';

const pool: PoolRecord = {
  id: 'us-east-1_abc',
  name: 'p',
  settings: { Schema: declareAttributes([], [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }], 'create') },
  limits: { confirmAttemptsPerHour: 15, resendAttemptsPerHour: 5 },
  createdAt: 0,
  updatedAt: 0,
};
const invalid = (message: string) => ({ name: 'InvalidParameterException', message });

test('ReadAttributes and WriteAttributes must name attributes of the pool', () => {
  const ok = { ReadAttributes: ['email', 'email_verified', 'custom:tier', 'sub'], WriteAttributes: ['email', 'custom:tier'] };
  assert.deepEqual(clientSettings({ UserPoolId: pool.id, ClientName: 'c', ...ok }, false, pool), ok);
  assert.throws(() => clientSettings({ ReadAttributes: ['custom:nope'] }, false, pool), invalid('Invalid read attributes specified while creating a client'));
  assert.throws(() => clientSettings({ WriteAttributes: ['tier'] }, false, pool, 'updating'), invalid('Invalid write attributes specified while updating a client'));
  assert.throws(() => clientSettings({ WriteAttributes: ['sub'] }, false, pool), invalid('Invalid write attributes specified while creating a client'));
  assert.deepEqual(clientSettings({ ReadAttributes: [], WriteAttributes: [] }, false, pool), { ReadAttributes: [], WriteAttributes: [] });
  assert.deepEqual(clientSettings({ ReadAttributes: ['custom:nope'] }, false), { ReadAttributes: ['custom:nope'] }, 'without the pool nothing is checked');
});

test('OAuth members follow OML §2: client_credentials alone, with a secret and custom scopes; URLs; default redirect; providers', () => {
  const ok = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code', 'implicit'],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: ['https://app.example.com/cb', 'http://localhost:3000/cb', 'myapp://cb'],
    LogoutURLs: ['http://127.0.0.1/out'],
    DefaultRedirectURI: 'myapp://cb',
    SupportedIdentityProviders: ['COGNITO'],
  };
  assert.deepEqual(clientSettings(ok, false, pool), ok);
  const machine = { AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['api/read'] };
  assert.deepEqual(clientSettings(machine, true, pool), machine);
  assert.throws(() => clientSettings({ ...machine, AllowedOAuthFlows: ['client_credentials', 'code'] }, true, pool), invalid('client_credentials flow can not be selected along with code flow or implicit flow.'));
  assert.throws(() => clientSettings(machine, false, pool), invalid('client_credentials flow can not be selected if client does not have a client secret.'));
  assert.throws(() => clientSettings({ ...machine, AllowedOAuthScopes: ['openid'] }, true, pool), invalid('client_credentials flow can only be used with custom scopes.'));
  assert.throws(() => clientSettings({ CallbackURLs: ['http://example.com/cb'] }, false, pool), invalid('Invalid redirect URL: http://example.com/cb'));
  assert.throws(() => clientSettings({ CallbackURLs: ['https://e.com/cb#x'] }, false, pool), invalid('Invalid redirect URL: https://e.com/cb#x'));
  assert.throws(() => clientSettings({ LogoutURLs: ['http://example.com/out'] }, false, pool), invalid('Invalid logout URL: http://example.com/out'));
  assert.throws(() => clientSettings({ CallbackURLs: ['https://e.com/a'], DefaultRedirectURI: 'https://e.com/b' }, false, pool), invalid('DefaultRedirectURI must be one of the CallbackURLs.'));
  assert.throws(() => clientSettings({ SupportedIdentityProviders: ['COGNITO', 'Google'] }, false, pool), invalid(`The provider Google does not exist for User Pool ${pool.id}`));
});
