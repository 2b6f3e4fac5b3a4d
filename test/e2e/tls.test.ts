/**
 * @module `--tls` (issue 13 item 5, spec §11.2): HTTPS on the same port with a generated local
 * authority and server certificate kept in the data directory, reused, renewed, or the operator's
 * own files; the server's own URLs follow the scheme.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { ConfirmSignUpCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { sdkClient, startTestServer, testDb, type TestServer } from '../helpers/server.ts';
import { startLocalServer } from 'userpool';
import { issueAuthority, issueServerCertificate } from '../../src/tls/certificate.ts';
import { FILES } from '../../src/tls/local-certificate.ts';
import { certificateNames } from '../../src/tls/names.ts';

const DAY = 24 * 60 * 60 * 1000;
const onPostgres = /^postgres/u.test(process.env.USERPOOL_TEST_DB ?? '');
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const scratch = () => mkdtempSync(join(tmpdir(), 'userpool-tls-'));
const portOf = (url: string) => Number(new URL(url).port);

/** The certificate the server presents, seen through a real handshake. */
function presented(url: string, ca?: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: portOf(url), servername: 'localhost', ...(ca ? { ca } : { rejectUnauthorized: false }) }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (cert) resolve(cert);
      else reject(new Error('no peer certificate'));
    });
    socket.once('error', reject);
  });
}

function getJson(url: string, ca: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    httpsRequest(url, { ca }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
    })
      .on('error', reject)
      .end();
  });
}

describe('--tls with a generated certificate', () => {
  let server: TestServer;
  let dir: string;

  before(async () => {
    dir = scratch();
    server = await startTestServer({ tls: true, args: ['--tls-dir', dir, '--public-url', 'https://userpool.test:8443', '--control-hosts', 'userpool,idp.internal'] });
  });
  after(() => server.stop());

  test('the listening line names an https URL and the authority to trust', () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/u);
    const line = JSON.parse(server.output().split('\n').find((l) => l.includes('"msg":"userpool listening"'))!) as Record<string, string>;
    assert.equal(line.url, server.url);
    assert.equal(line.tlsCa, join(dir, FILES.caCert));
    assert.equal(line.tlsCert, join(dir, FILES.cert));
    assert.match(server.output(), /made a new local certificate authority/u);
  });

  test('the SDK v3 trusting the authority signs up and confirms over a real TLS handshake', async () => {
    const idp = server.client();
    const { clientId } = await createPool(idp);
    const out = await signUp(idp, clientId, 'secure-sam');
    assert.equal(out.UserConfirmed, false);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'secure-sam', ConfirmationCode: await server.latestCode('secure-sam') }));
    const cert = await presented(server.url, server.ca);
    assert.equal(cert.checkIssued(new X509Certificate(server.ca!)), true);
  });

  test('a client that does not trust the authority fails the handshake', async () => {
    const untrusting = sdkClient(server.url);
    try {
      await assert.rejects(untrusting.send(new ListUserPoolsCommand({ MaxResults: 1 })), (error: Error & { code?: string }) => {
        assert.match(`${error.code} ${error.message}`, /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|self[- ]signed certificate/iu);
        return true;
      });
    } finally {
      untrusting.destroy();
    }
    await assert.rejects(fetch(`${server.url}/health/live`));
  });

  test('a plain-HTTP client on the same port gets no answer', async () => {
    await assert.rejects(fetch(`http://127.0.0.1:${portOf(server.url)}/health/live`, { signal: AbortSignal.timeout(5000) }));
    const plain = sdkClient(`http://127.0.0.1:${portOf(server.url)}`);
    try {
      await assert.rejects(plain.send(new ListUserPoolsCommand({ MaxResults: 1 })));
    } finally {
      plain.destroy();
    }
  });

  test('subjectAltName covers localhost, *.auth.localhost, 127.0.0.1, ::1, the public URL host and the control hosts', async () => {
    const cert = await presented(server.url, server.ca);
    const sans = cert.subjectAltName!.split(', ').sort();
    assert.deepEqual(sans, [
      'DNS:*.auth.localhost', 'DNS:idp.internal', 'DNS:localhost', 'DNS:userpool', 'DNS:userpool.test',
      'IP Address:0:0:0:0:0:0:0:1', 'IP Address:127.0.0.1',
    ]);
    assert.equal(cert.checkHost('shop.auth.localhost'), '*.auth.localhost');
    assert.equal(cert.checkHost('example.com'), undefined);
    assert.equal(cert.ca, false);
    assert.equal(new X509Certificate(server.ca!).ca, true);
  });

  test('the four files are 0600 in a 0700 directory', () => {
    for (const name of Object.values(FILES)) assert.equal(mode(join(dir, name)), '600', name);
    assert.equal(mode(dir), '700');
  });

  test('URLs the server makes follow the scheme: the issuer and confirmation links', async () => {
    const idp = server.client();
    const { poolId, clientId } = await createPool(idp, {
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK', EmailMessageByLink: 'Go {##here##}' },
    });
    await signUp(idp, clientId, 'linked-lee');
    const [message] = await server.outbox('linked-lee');
    assert.match(message!.body, /href="https:\/\/userpool\.test:8443\/confirmUser\?/u);
    const discovery = await getJson(`${server.url}/${poolId}/.well-known/openid-configuration`, server.ca!);
    assert.equal(discovery.issuer, `https://userpool.test:8443/${poolId}`);
  });
});

describe('--tls: the default public URL and directory', () => {
  test('without --public-url the issuer is the https listening URL', async () => {
    const server = await startTestServer({ tls: true, args: ['--tls-dir', scratch()] });
    try {
      const { poolId } = await createPool(server.client());
      const discovery = await getJson(`${server.url}/${poolId}/.well-known/openid-configuration`, server.ca!);
      assert.equal(discovery.issuer, `${server.url}/${poolId}`);
    } finally {
      await server.stop();
    }
  });

  test('with SQLite and no --tls-dir the files sit next to the database file', { skip: onPostgres ? 'looks at the SQLite file\'s directory' : false }, async () => {
    const dir = scratch();
    const server = await startTestServer({ tls: true, db: join(dir, 'userpool.db') });
    try {
      for (const name of Object.values(FILES)) assert.equal(mode(join(dir, name)), '600', name);
      assert.equal(server.ca, readFileSync(join(dir, FILES.caCert), 'utf8'));
    } finally {
      await server.stop();
    }
  });
});

describe('--tls across restarts', () => {
  test('a second start reuses both certificates (same fingerprints) and says nothing about a new authority', async () => {
    const dir = scratch();
    const db = testDb();
    const first = await startTestServer({ tls: true, db, args: ['--tls-dir', dir] });
    const before = (await presented(first.url, first.ca)).fingerprint256;
    await first.stop();
    const second = await startTestServer({ tls: true, db, args: ['--tls-dir', dir] });
    try {
      assert.equal((await presented(second.url, second.ca)).fingerprint256, before);
      assert.equal(second.ca, first.ca);
      assert.doesNotMatch(second.output(), /made a new local certificate authority/u);
    } finally {
      await second.stop();
    }
  });

  test('an expired server certificate is replaced at start, signed by the same authority', async () => {
    const dir = scratch();
    const db = testDb();
    const first = await startTestServer({ tls: true, db, args: ['--tls-dir', dir] });
    await first.stop();
    const authority = { cert: readFileSync(join(dir, FILES.caCert), 'utf8'), key: readFileSync(join(dir, FILES.caKey), 'utf8') };
    const old = issueServerCertificate(authority, certificateNames({}), Date.now() - 400 * DAY);
    writeFileSync(join(dir, FILES.cert), old.cert, { mode: 0o600 });
    writeFileSync(join(dir, FILES.key), old.key, { mode: 0o600 });
    assert.ok(Date.parse(new X509Certificate(old.cert).validTo) < Date.now());

    const second = await startTestServer({ tls: true, db, args: ['--tls-dir', dir] });
    try {
      const served = await presented(second.url, second.ca);
      assert.notEqual(served.fingerprint256, new X509Certificate(old.cert).fingerprint256);
      assert.ok(Date.parse(served.validTo) > Date.now() + 300 * DAY);
      assert.equal(second.ca, authority.cert, 'renewing the server certificate keeps the trusted authority');
      assert.equal(new X509Certificate(readFileSync(join(dir, FILES.cert))).fingerprint256, served.fingerprint256);
      assert.equal(mode(join(dir, FILES.key)), '600');
    } finally {
      await second.stop();
    }
  });
});

describe('--tls-cert and --tls-key', () => {
  test('the given files are served and nothing is generated', async () => {
    const dir = scratch();
    const names = certificateNames({});
    const authority = issueAuthority(names);
    const own = issueServerCertificate(authority, names);
    writeFileSync(join(dir, 'own-cert.pem'), own.cert);
    writeFileSync(join(dir, 'own-key.pem'), own.key, { mode: 0o600 });
    const server = await startTestServer({ args: ['--tls-cert', join(dir, 'own-cert.pem'), '--tls-key', join(dir, 'own-key.pem'), '--tls-dir', join(dir, 'unused')] });
    try {
      assert.match(server.url, /^https:/u);
      assert.equal((await presented(server.url, authority.cert)).fingerprint256, new X509Certificate(own.cert).fingerprint256);
      assert.equal(existsSync(join(dir, 'unused')), false);
      const idp = sdkClient(server.url, { ca: authority.cert });
      try {
        const { clientId } = await createPool(idp);
        await signUp(idp, clientId, 'own-files');
      } finally {
        idp.destroy();
      }
    } finally {
      await server.stop();
    }
  });
});

describe('startLocalServer({ tls: true })', () => {
  test('serves HTTPS in process and names the authority to trust', async () => {
    const tlsDir = scratch();
    const server = await startLocalServer({ tls: true, tlsDir, ...(process.env.USERPOOL_TEST_DB ? { db: testDb() } : {}) });
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:/u);
      assert.equal(server.tls?.caPath, join(tlsDir, FILES.caCert));
      const idp = sdkClient(server.url, { ca: readFileSync(server.tls!.caPath!, 'utf8') });
      try {
        const { clientId } = await createPool(idp);
        assert.equal((await signUp(idp, clientId, 'in-process')).UserConfirmed, false);
      } finally {
        idp.destroy();
      }
    } finally {
      await server.close();
    }
  });
});
