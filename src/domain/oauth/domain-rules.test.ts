import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostTarget, isCustomDomainName, prefixProblem } from './domain-names.ts';
import { isAllowedRedirectUri } from './redirect-uris.ts';
import { clientCredentialsScopes, definedCustomScopes } from './scopes.ts';

test('prefixes follow the DomainType pattern and avoid AWS names', () => {
  assert.equal(prefixProblem('my-app-1'), undefined);
  assert.equal(prefixProblem('My-app'), 'pattern');
  assert.equal(prefixProblem('-app'), 'pattern');
  assert.equal(prefixProblem('a.b'), 'pattern');
  assert.equal(prefixProblem('myawsapp'), 'reserved');
  assert.equal(prefixProblem('cognito-login'), 'reserved');
  assert.equal(isCustomDomainName('auth.example.com'), true);
  assert.equal(isCustomDomainName('example'), false);
  assert.equal(isCustomDomainName('Auth.example.com'), false);
});

test('a Host header names a prefix domain or a custom one, on any port', () => {
  assert.deepEqual(hostTarget('shop.auth.us-east-1.amazoncognito.com'), { kind: 'prefix', name: 'shop' });
  assert.deepEqual(hostTarget('Shop.Auth.Localhost:8443'), { kind: 'prefix', name: 'shop' });
  assert.deepEqual(hostTarget('auth.example.com:443'), { kind: 'custom', name: 'auth.example.com' });
  assert.equal(hostTarget('localhost:9229'), undefined);
  assert.equal(hostTarget('127.0.0.1:9229')?.kind, 'custom', 'a dotted address is only a candidate; no domain is stored by that name');
  assert.equal(hostTarget('[::1]:80'), undefined);
  assert.equal(hostTarget(undefined), undefined);
});

test('redirect URIs: HTTPS, loopback HTTP, app schemes; never a fragment', () => {
  for (const ok of ['https://example.com/cb', 'http://localhost:3000/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/', 'myapp://cb']) assert.equal(isAllowedRedirectUri(ok), true, ok);
  for (const bad of ['http://example.com/cb', 'https://example.com/cb#frag', 'not a url', '/relative', 'javascript:alert(1)', `https://e.com/${'a'.repeat(1024)}`]) {
    assert.equal(isAllowedRedirectUri(bad), false, bad);
  }
});

test('client_credentials grants the asked custom scopes, or all of them when none is asked', () => {
  const allowed = ['openid', 'api/read', 'api/write'];
  assert.deepEqual(clientCredentialsScopes(undefined, allowed), { ok: true, scopes: ['api/read', 'api/write'] });
  assert.deepEqual(clientCredentialsScopes('api/write', allowed), { ok: true, scopes: ['api/write'] });
  assert.deepEqual(clientCredentialsScopes('api/read  api/write', allowed), { ok: true, scopes: ['api/read', 'api/write'] });
  assert.deepEqual(clientCredentialsScopes('api/read openid', allowed), { ok: false }, 'reserved scopes are not for machines');
  assert.deepEqual(clientCredentialsScopes('api/nope', allowed), { ok: false });
  assert.deepEqual(clientCredentialsScopes(undefined, ['openid']), { ok: false });
  const servers = [{ poolId: 'p', identifier: 'https://api.example.com', name: 'n', scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }], createdAt: 0, updatedAt: 0 }];
  assert.deepEqual([...definedCustomScopes(servers)], ['https://api.example.com/read']);
});
