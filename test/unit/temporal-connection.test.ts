import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTemporalSecurity, temporalSecurity } from '../../infra/temporal-connection.ts';

const dir = mkdtempSync(join(tmpdir(), 'ps-tls-'));
const cert = join(dir, 'client.pem');
const key = join(dir, 'client.key');
const ca = join(dir, 'ca.pem');
writeFileSync(cert, 'CERT');
writeFileSync(key, 'KEY');
writeFileSync(ca, 'CA');

test('no variables: plaintext, as for the local dev server', () => {
  const security = temporalSecurity({});
  assert.equal(security.tls, undefined);
  assert.equal(describeTemporalSecurity(security), 'plaintext');
});

test('cert, key and CA files give mTLS with their contents', () => {
  const security = temporalSecurity({ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca });
  assert.ok(security.tls && security.tls !== true);
  assert.equal(Buffer.from(security.tls.clientCertPair!.crt).toString(), 'CERT');
  assert.equal(Buffer.from(security.tls.clientCertPair!.key).toString(), 'KEY');
  assert.equal(Buffer.from(security.tls.serverRootCACertificate!).toString(), 'CA');
  assert.equal(describeTemporalSecurity(security), 'mTLS');
});

test('an API key alone turns TLS on and is never described', () => {
  const security = temporalSecurity({ TEMPORAL_API_KEY: 'sekret-value' });
  assert.equal(security.tls, true);
  assert.equal(security.apiKey, 'sekret-value');
  assert.equal(describeTemporalSecurity(security), 'TLS + API key');
  assert.doesNotMatch(describeTemporalSecurity(security), /sekret/);
});

test('a cert without its key is refused as bad input', () => {
  assert.throws(
    () => temporalSecurity({ TEMPORAL_TLS_CERT: cert }),
    (err: Error & { badInput?: boolean }) => err.badInput === true && /TEMPORAL_TLS_KEY/.test(err.message),
  );
});

test('an unreadable file is named by its variable and path', () => {
  assert.throws(
    () => temporalSecurity({ TEMPORAL_TLS_CA: join(dir, 'missing.pem') }),
    /TEMPORAL_TLS_CA names .*missing\.pem, which cannot be read \(ENOENT\)/,
  );
});
