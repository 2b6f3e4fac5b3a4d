import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FILES, RENEW_BEFORE_MS, ensureLocalCertificate } from './local-certificate.ts';
import { certificateNames } from './names.ts';

const DAY = 24 * 60 * 60 * 1000;
const names = certificateNames({});
const fresh = () => join(mkdtempSync(join(tmpdir(), 'userpool-tls-unit-')), 'data');
const fingerprint = (dir: string, file: string) => new X509Certificate(readFileSync(join(dir, file))).fingerprint256;

test('first start makes the authority and the server certificate, 0600 files in a 0700 directory', () => {
  const dir = fresh();
  const local = ensureLocalCertificate(dir, names);
  assert.deepEqual(local.made, { authority: true, server: true });
  assert.equal(local.caPath, join(dir, FILES.caCert));
  assert.equal((statSync(dir).mode & 0o777).toString(8), '700');
  for (const file of Object.values(FILES)) assert.equal((statSync(join(dir, file)).mode & 0o777).toString(8), '600', file);
});

test('a later start reuses both, even a day before the renewal margin', () => {
  const dir = fresh();
  const now = Date.now();
  ensureLocalCertificate(dir, names, now);
  const before = [fingerprint(dir, FILES.caCert), fingerprint(dir, FILES.cert)];
  const validTo = Date.parse(new X509Certificate(readFileSync(join(dir, FILES.cert))).validTo);
  const again = ensureLocalCertificate(dir, names, validTo - RENEW_BEFORE_MS - DAY);
  assert.deepEqual(again.made, { authority: false, server: false });
  assert.deepEqual([fingerprint(dir, FILES.caCert), fingerprint(dir, FILES.cert)], before);
});

test('inside the renewal margin only the server certificate is made again', () => {
  const dir = fresh();
  ensureLocalCertificate(dir, names);
  const ca = fingerprint(dir, FILES.caCert);
  const validTo = Date.parse(new X509Certificate(readFileSync(join(dir, FILES.cert))).validTo);
  const later = validTo - RENEW_BEFORE_MS + DAY;
  assert.deepEqual(ensureLocalCertificate(dir, names, later).made, { authority: false, server: true });
  assert.equal(fingerprint(dir, FILES.caCert), ca);
  assert.ok(Date.parse(new X509Certificate(readFileSync(join(dir, FILES.cert))).validTo) > later + 300 * DAY);
});

test('a new name under the authority renews only the server certificate; a name outside it renews both', () => {
  const dir = fresh();
  ensureLocalCertificate(dir, certificateNames({ publicUrl: 'https://idp.test' }));
  const wider = ensureLocalCertificate(dir, certificateNames({ publicUrl: 'https://idp.test', controlHosts: ['eu.idp.test'] }));
  assert.deepEqual(wider.made, { authority: false, server: true });
  assert.match(new X509Certificate(wider.cert).subjectAltName!, /DNS:eu\.idp\.test/u);
  assert.deepEqual(ensureLocalCertificate(dir, certificateNames({ publicUrl: 'https://other.test' })).made, { authority: true, server: true });
});

test('damaged or mismatched files are made again; files others could read are narrowed to 0600', () => {
  const dir = fresh();
  ensureLocalCertificate(dir, names);
  writeFileSync(join(dir, FILES.cert), 'not a certificate');
  assert.deepEqual(ensureLocalCertificate(dir, names).made, { authority: false, server: true });
  const other = fresh();
  ensureLocalCertificate(other, names);
  writeFileSync(join(dir, FILES.key), readFileSync(join(other, FILES.key)));
  assert.deepEqual(ensureLocalCertificate(dir, names).made, { authority: false, server: true });
  chmodSync(join(dir, FILES.caKey), 0o644);
  assert.deepEqual(ensureLocalCertificate(dir, names).made, { authority: false, server: false });
  assert.equal((statSync(join(dir, FILES.caKey)).mode & 0o777).toString(8), '600');
});

test('a server certificate from another authority is replaced', () => {
  const dir = fresh();
  const other = fresh();
  ensureLocalCertificate(dir, names);
  ensureLocalCertificate(other, names);
  for (const file of [FILES.cert, FILES.key]) writeFileSync(join(dir, file), readFileSync(join(other, file)));
  assert.deepEqual(ensureLocalCertificate(dir, names).made, { authority: false, server: true });
  assert.equal(new X509Certificate(readFileSync(join(dir, FILES.cert))).checkIssued(new X509Certificate(readFileSync(join(dir, FILES.caCert)))), true);
});
