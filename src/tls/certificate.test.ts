import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { test } from 'node:test';
import { CA_LIFETIME_MS, LEAF_LIFETIME_MS, authorityCovers, issueAuthority, issueServerCertificate } from './certificate.ts';
import { certificateNames } from './names.ts';

const names = certificateNames({ publicUrl: 'https://idp.example.test:8443/base', controlHosts: ['Userpool'], host: '0.0.0.0' });

test('names: loopback ones always, plus the public URL host, control hosts and a bound address; never the unspecified address', () => {
  assert.deepEqual(names, { dns: ['*.auth.localhost', 'idp.example.test', 'localhost', 'userpool'], ips: ['127.0.0.1', '::1'] });
  assert.deepEqual(certificateNames({ host: '::', publicUrl: 'https://[fd00::5]:1' }).ips, ['127.0.0.1', '::1', 'fd00::5']);
  assert.deepEqual(certificateNames({ host: '192.168.1.9' }).ips, ['127.0.0.1', '192.168.1.9', '::1']);
});

test('the authority is a CA for server certificates only, constrained to the names, for ten years', () => {
  const now = Date.UTC(2030, 0, 1);
  const ca = new X509Certificate(issueAuthority(names, now).cert);
  assert.equal(ca.ca, true);
  assert.equal(ca.checkIssued(ca), true);
  assert.equal(Date.parse(ca.validTo) - now, CA_LIFETIME_MS - (CA_LIFETIME_MS % 1000));
  assert.ok(Date.parse(ca.validFrom) < now, 'backdated for clients whose clocks run behind');
  assert.ok(ca.serialNumber.length >= 30);
});

test('the server certificate is signed by the authority, names every host, lasts 397 days and matches its key', () => {
  const authority = issueAuthority(names);
  const issued = issueServerCertificate(authority, names);
  const leaf = new X509Certificate(issued.cert);
  const ca = new X509Certificate(authority.cert);
  assert.equal(leaf.ca, false);
  assert.equal(leaf.checkIssued(ca), true);
  assert.equal(leaf.verify(ca.publicKey), true);
  assert.equal(leaf.checkPrivateKey(createPrivateKey(issued.key)), true);
  assert.equal(leaf.subjectAltName, 'DNS:*.auth.localhost, DNS:idp.example.test, DNS:localhost, DNS:userpool, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  assert.ok(Math.abs(Date.parse(leaf.validTo) - Date.now() - LEAF_LIFETIME_MS) < 5000);
  // Node's keyUsage lists the extended key usages: server authentication only.
  assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1']);
});

test('authorityCovers: names below a constrained name are covered, others and new addresses are not', () => {
  const { cert } = issueAuthority(names);
  assert.equal(authorityCovers(cert, names), true);
  assert.equal(authorityCovers(cert, { dns: ['shop.auth.localhost', 'a.idp.example.test'], ips: ['::1'] }), true);
  assert.equal(authorityCovers(cert, { dns: ['example.test'], ips: [] }), false);
  assert.equal(authorityCovers(cert, { dns: ['evilidp.example.test'], ips: [] }), false);
  assert.equal(authorityCovers(cert, { dns: [], ips: ['127.0.0.2'] }), false);
});
