import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../cli/main.ts';
import { ConfigError, defaultConfig, finishConfig } from '../config/config.ts';
import { DEFAULT_DATA_DIR, serverTls, tlsDirectory } from './server-tls.ts';

test('the directory: --tls-dir, else the SQLite file\'s directory, else the default data directory', () => {
  assert.equal(tlsDirectory({ db: './.userpool/userpool.db' }), './.userpool');
  assert.equal(tlsDirectory({ db: '/srv/data/pool.db', tlsDir: '/etc/userpool' }), '/etc/userpool');
  assert.equal(tlsDirectory({ db: 'postgres://u@db/pool' }), DEFAULT_DATA_DIR);
  assert.equal(tlsDirectory({ db: ':memory:' }), DEFAULT_DATA_DIR);
});

test('flags, environment and file settings; given files turn TLS on; one file alone is refused', () => {
  assert.equal(resolveConfig({}, {}).tls, false);
  assert.equal(resolveConfig({ tls: true }, {}).tls, true);
  assert.equal(resolveConfig({}, { USERPOOL_TLS: 'true', USERPOOL_TLS_DIR: '/x' }).tlsDir, '/x');
  assert.equal(resolveConfig({}, { USERPOOL_TLS: '0' }).tls, false);
  assert.throws(() => resolveConfig({}, { USERPOOL_TLS: 'maybe' }), /USERPOOL_TLS must be true or false/u);
  assert.equal(resolveConfig({ tlsCert: 'c.pem', tlsKey: 'k.pem' }, {}).tls, true);
  assert.throws(() => resolveConfig({ tlsCert: 'c.pem' }, {}), (e: Error) => e instanceof ConfigError && /go together/u.test(e.message));
  assert.throws(() => finishConfig({ ...defaultConfig(), tls: 'yes' as unknown as boolean }), /tls must be true or false/u);
});

test('given files that do not make a certificate are refused at start with their names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'userpool-tls-given-'));
  writeFileSync(join(dir, 'c.pem'), 'nope');
  writeFileSync(join(dir, 'k.pem'), 'nope');
  const config = finishConfig({ ...defaultConfig(), tlsCert: join(dir, 'c.pem'), tlsKey: join(dir, 'k.pem') });
  assert.throws(() => serverTls(config), /c\.pem and --tls-key .*k\.pem do not make a usable certificate/u);
  assert.equal(serverTls(finishConfig(defaultConfig())), undefined);
});
