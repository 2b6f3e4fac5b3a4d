/**
 * @module SigV4 verification: AWS's published test-suite examples, requests signed by the JS SDK's
 * signer, and each refusal with AWS's exact type and text (scope, clock skew, tampering, headers).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { canonicalRequest, SignatureVerifier, type RequestHeaders } from './sigv4.ts';

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const WRONG_REGION = 'Credential should be scoped to a valid region. ';
const WRONG_SERVICE = "Credential should be scoped to correct service: 'cognito-idp'. ";
const WRONG_DATE = 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP. ';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The key of AWS's Signature Version 4 test suite. */
const SUITE_KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe("AWS's Signature Version 4 test suite", () => {
  const at = Date.UTC(2015, 7, 30, 12, 36, 0);
  const verifier = new SignatureVerifier([SUITE_KEY], { region: 'us-east-1', service: 'service' });
  const request = (signature: string) => ({
    host: 'example.amazonaws.com',
    'x-amz-date': '20150830T123600Z',
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
  });

  it('get-vanilla: the canonical request and its hash are the published ones', () => {
    const canonical = canonicalRequest('GET', '/', request(''), ['host', 'x-amz-date'], 'host;x-amz-date', EMPTY_SHA256);
    assert.equal(canonical, `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`);
    // The last line of the suite's get-vanilla.sts.
    assert.equal(createHash('sha256').update(canonical).digest('hex'), 'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63');
  });

  // [name, method, request target, published signature]
  const vectors: [string, string, string, string][] = [
    ['get-vanilla', 'GET', '/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['post-vanilla', 'POST', '/', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
    ['get-vanilla-query-order-key-case', 'GET', '/?Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
    ['get-utf8', 'GET', '/ሴ', '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85'],
  ];
  for (const [name, method, target, signature] of vectors) {
    it(`${name} verifies with the published signature and fails with one digit changed`, async () => {
      await verifier.verify(method, target, request(signature), Buffer.alloc(0), at);
      const changed = signature.replace(/^./u, (c) => (c === '0' ? '1' : '0'));
      await assert.rejects(verifier.verify(method, target, request(changed), Buffer.alloc(0), at), { name: 'InvalidSignatureException', message: MISMATCH });
    });
  }

  // The 2011 edition of the suite dates its requests with the Date header (no X-Amz-Date), service "host".
  describe('with only a Date header (2011 edition)', () => {
    const hostVerifier = new SignatureVerifier([SUITE_KEY], { region: 'us-east-1', service: 'host' });
    const at2011 = Date.UTC(2011, 8, 9, 23, 36, 0);
    const dated = (signedHeaders: string, signature: string, extra: Record<string, string> = {}) => ({
      host: 'host.foo.com',
      date: 'Mon, 09 Sep 2011 23:36:00 GMT',
      ...extra,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    });

    it('post-x-www-form-urlencoded: a body and a content type', async () => {
      const headers = dated('content-type;date;host', '5a15b22cf462f047318703b92e6f4f38884e4a7ab7b1d6426ca46a8bd1c26cbc', { 'content-type': 'application/x-www-form-urlencoded' });
      await hostVerifier.verify('POST', '/', headers, Buffer.from('foo=bar'), at2011);
      await assert.rejects(hostVerifier.verify('POST', '/', headers, Buffer.from('foo=baz'), at2011), { message: MISMATCH });
    });

    it('post-header-value-case: header values keep their case', async () => {
      const headers = dated('date;host;zoo', '273313af9d0c265c531e11db70bbd653f3ba074c1009239e8559d3987039cad7', { zoo: 'ZOOBAR' });
      await hostVerifier.verify('POST', '/', headers, Buffer.alloc(0), at2011);
      await assert.rejects(hostVerifier.verify('POST', '/', { ...headers, zoo: 'zoobar' }, Buffer.alloc(0), at2011), { message: MISMATCH });
    });

    it('post-vanilla-query and get-vanilla-query-order-key-case: a query, and a repeated key sorted by value', async () => {
      await hostVerifier.verify('POST', '/?foo=bar', dated('date;host', 'b6e3b79003ce0743a491606ba1035a804593b0efb1e20a11cba83f8c25a57a92'), Buffer.alloc(0), at2011);
      await hostVerifier.verify('GET', '/?foo=Zoo&foo=aha', dated('date;host', 'be7148d34ebccdc6423b19085378aa0bee970bdc61d144bd1a8c48c33079ab09'), Buffer.alloc(0), at2011);
    });

    it('X-Amz-Date, when present, is the date that counts', async () => {
      // Judged by the Date header this request would be 25 minutes stale; by X-Amz-Date it is fresh but a day past its scope.
      const headers = dated('date;host;zoo', '273313af9d0c265c531e11db70bbd653f3ba074c1009239e8559d3987039cad7', { zoo: 'ZOOBAR', 'x-amz-date': '20110910T000100Z' });
      await assert.rejects(hostVerifier.verify('POST', '/', headers, Buffer.alloc(0), Date.UTC(2011, 8, 10, 0, 1, 0)), { name: 'InvalidSignatureException', message: WRONG_DATE });
    });
  });
});

const key = { accessKeyId: 'AKIDADMIN', secretAccessKey: 'admin-secret-key-for-tests' };
const body = Buffer.from('{"UserPoolId":"us-east-1_abc"}');
const NOW = Date.UTC(2023, 9, 11, 12, 15, 0);

interface SignOptions {
  secretAccessKey?: string;
  region?: string;
  service?: string;
  date?: Date;
  /** false: the botocore way, no x-amz-content-sha256; true (the JS SDK's default): that header, signed. */
  applyChecksum?: boolean;
  headers?: Record<string, string>;
  signedBody?: Buffer;
}

/** Headers as the JS SDK's own signer would send them for an AdminGetUser call. */
async function signed(options: SignOptions = {}): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: options.secretAccessKey ?? key.secretAccessKey },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'cognito-idp',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.applyChecksum ?? true,
  });
  const request = await signer.sign(
    {
      method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 9229, path: '/', query: {},
      headers: { host: '127.0.0.1:9229', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser', ...options.headers },
      body: options.signedBody ?? body,
    },
    { signingDate: options.date ?? new Date(NOW) },
  );
  return Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const verifier = new SignatureVerifier([key], { region: 'us-east-1' });
const verify = (headers: RequestHeaders, now = NOW, payload = body) => verifier.verify('POST', '/', headers, payload, now);
const refusedWith = (type: string, message: string) => ({ name: type, message });

describe('requests signed by the JS SDK signer', () => {
  it('verify with and without x-amz-content-sha256, and the service defaults to cognito-idp', async () => {
    await verify(await signed());
    const botocoreStyle = await signed({ applyChecksum: false });
    assert.equal(botocoreStyle['x-amz-content-sha256'], undefined);
    await verify(botocoreStyle);
  });

  it('verify with runs of spaces in a signed header value, and with the Authorization parameters spaced any way', async () => {
    await verify(await signed({ headers: { 'x-amz-meta-note': '  "a   b \t c"  ' } }));
    const headers = await signed();
    await verify({ ...headers, authorization: headers.authorization!.replaceAll(', ', ',') });
    await verify({ ...headers, authorization: headers.authorization!.replaceAll(', ', ' ,  ') });
  });

  it('refuse a wrong secret, an unknown key and no signature with the AWS types', async () => {
    await assert.rejects(verify(await signed({ secretAccessKey: 'wrong' })), refusedWith('InvalidSignatureException', MISMATCH));
    await assert.rejects(new SignatureVerifier([], { region: 'us-east-1' }).verify('POST', '/', await signed(), body, NOW), refusedWith('UnrecognizedClientException', 'The security token included in the request is invalid.'));
    await assert.rejects(verify({}), refusedWith('MissingAuthenticationTokenException', 'Missing Authentication Token'));
  });
});

describe('credential scope', () => {
  it('must name the configured region', async () => {
    await assert.rejects(verify(await signed({ region: 'eu-west-1' })), refusedWith('InvalidSignatureException', WRONG_REGION));
    await new SignatureVerifier([key], { region: 'eu-west-1' }).verify('POST', '/', await signed({ region: 'eu-west-1' }), body, NOW);
  });

  it('must name cognito-idp, or the configured service', async () => {
    await assert.rejects(verify(await signed({ service: 's3' })), refusedWith('InvalidSignatureException', WRONG_SERVICE));
    await assert.rejects(new SignatureVerifier([key], { region: 'us-east-1', service: 'other' }).verify('POST', '/', await signed(), body, NOW), refusedWith('InvalidSignatureException', "Credential should be scoped to correct service: 'other'. "));
  });

  it("must carry the request's own date", async () => {
    const yesterday = await signed({ date: new Date(NOW - 86_400_000) });
    await assert.rejects(verify({ ...yesterday, 'x-amz-date': '20231011T121500Z' }), refusedWith('InvalidSignatureException', WRONG_DATE));
  });

  it('reports every wrong part at once, in the order AWS gives them', async () => {
    const headers = await signed({ region: 'eu-west-1', service: 's3', date: new Date(NOW - 86_400_000) });
    const authorization = headers.authorization!.replace('/aws4_request', '/aws5_request');
    await assert.rejects(
      verify({ ...headers, authorization, 'x-amz-date': '20231011T121500Z' }),
      refusedWith('InvalidSignatureException', `${WRONG_REGION}${WRONG_SERVICE}Credential should be scoped with a valid terminator: 'aws4_request'. ${WRONG_DATE}`),
    );
  });

  it('is checked before the key is looked up, as AWS does', async () => {
    await assert.rejects(new SignatureVerifier([], { region: 'us-east-1' }).verify('POST', '/', await signed({ service: 's3' }), body, NOW), refusedWith('InvalidSignatureException', WRONG_SERVICE));
  });
});

describe('clock skew of 5 minutes', () => {
  const at = (offsetSeconds: number) => new Date(NOW + offsetSeconds * 1000);

  it('accepts 4m59s either way, and exactly 5 minutes', async () => {
    for (const offset of [-299, 299, -300, 300]) await verify(await signed({ date: at(offset) }));
    // The server's milliseconds do not count against the caller.
    await verify(await signed({ date: at(-300) }), NOW + 999);
  });

  it('refuses 5m01s in the past with AWS wording', async () => {
    await assert.rejects(
      verify(await signed({ date: at(-301) })),
      refusedWith('InvalidSignatureException', 'Signature expired: 20231011T120959Z is now earlier than 20231011T121000Z (20231011T121500Z - 5 min.)'),
    );
    await assert.rejects(
      verify(await signed({ date: new Date(Date.UTC(2023, 9, 11, 12, 0, 0)) })),
      refusedWith('InvalidSignatureException', 'Signature expired: 20231011T120000Z is now earlier than 20231011T121000Z (20231011T121500Z - 5 min.)'),
    );
  });

  it('refuses 5m01s in the future with AWS wording', async () => {
    await assert.rejects(
      verify(await signed({ date: at(301) })),
      refusedWith('InvalidSignatureException', 'Signature not yet current: 20231011T122001Z is still later than 20231011T122000Z (20231011T121500Z + 5 min.)'),
    );
  });

  it('is judged before the scope and the key', async () => {
    await assert.rejects(new SignatureVerifier([], { region: 'us-east-1' }).verify('POST', '/', await signed({ date: at(-3600), region: 'eu-west-1' }), body, NOW), { name: 'InvalidSignatureException', message: /^Signature expired: / });
  });
});

describe('tampering', () => {
  it('a changed body is refused', async () => {
    await assert.rejects(verify(await signed(), NOW, Buffer.from('{"UserPoolId":"us-east-1_other"}')), refusedWith('InvalidSignatureException', MISMATCH));
    await assert.rejects(verify(await signed({ applyChecksum: false }), NOW, Buffer.from('{}')), refusedWith('InvalidSignatureException', MISMATCH));
  });

  it('a changed signed header is refused; a changed unsigned one is not part of the signature', async () => {
    const headers = await signed();
    await assert.rejects(verify({ ...headers, 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminDeleteUser' }), refusedWith('InvalidSignatureException', MISMATCH));
    await assert.rejects(verify({ ...headers, host: 'elsewhere.example:9229' }), refusedWith('InvalidSignatureException', MISMATCH));
    await verify({ ...headers, 'user-agent': 'something else' });
  });

  it('a signed x-amz-content-sha256 must be the hash of the body that arrived', async () => {
    const original = Buffer.from('{"UserPoolId":"us-east-1_signed"}');
    const headers = await signed({ signedBody: original });
    assert.equal(headers['x-amz-content-sha256'], createHash('sha256').update(original).digest('hex'));
    await verify(headers, NOW, original);
    await assert.rejects(verify(headers, NOW, body), refusedWith('InvalidSignatureException', MISMATCH));
  });

  it('an unsigned x-amz-content-sha256 is never taken for the body hash', async () => {
    const original = Buffer.from('{"UserPoolId":"us-east-1_signed"}');
    const headers = await signed({ applyChecksum: false, signedBody: original });
    const claimsOriginal = { ...headers, 'x-amz-content-sha256': createHash('sha256').update(original).digest('hex') };
    await assert.rejects(verify(claimsOriginal, NOW, body), refusedWith('InvalidSignatureException', MISMATCH));
    // Unsigned, the header is ignored rather than trusted: the request itself is still good.
    await verify({ ...headers, 'x-amz-content-sha256': EMPTY_SHA256 }, NOW, original);
  });
});

describe('malformed Authorization and dates', () => {
  it('lists what is missing, the AWS way', async () => {
    await assert.rejects(
      verify({ authorization: 'Bearer abc.def', host: 'h' }),
      refusedWith(
        'IncompleteSignatureException',
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc.def",
      ),
    );
    const { 'x-amz-date': _, ...undated } = await signed();
    await assert.rejects(verify(undated), refusedWith('IncompleteSignatureException', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${undated.authorization}`));
  });

  it('refuses a date not in the basic ISO-8601 form', async () => {
    const headers = await signed();
    await assert.rejects(verify({ ...headers, 'x-amz-date': '2023-10-11T12:15:00Z' }), refusedWith('IncompleteSignatureException', "Date must be in ISO-8601 'basic format'. Got '2023-10-11T12:15:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"));
    await assert.rejects(verify({ ...headers, 'x-amz-date': '20230231T121500Z' }), { name: 'IncompleteSignatureException' });
  });

  it('requires Host among the signed headers, five credential parts and the one algorithm', async () => {
    const headers = await signed();
    await assert.rejects(verify({ ...headers, authorization: headers.authorization!.replace(/host;/u, '') }), refusedWith('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization."));
    await assert.rejects(verify({ ...headers, authorization: headers.authorization!.replace('/cognito-idp/', '/') }), refusedWith('IncompleteSignatureException', `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDADMIN/20231011/us-east-1/aws4_request'`));
    await assert.rejects(verify({ ...headers, authorization: headers.authorization!.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256') }), refusedWith('IncompleteSignatureException', "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now). "));
  });

  it('joins the values of a repeated signed header with a comma, as the clients sign them', async () => {
    const headers = await signed({ headers: { 'x-amz-meta-dup': 'first,second' } });
    await verify({ ...headers, 'x-amz-meta-dup': ['first', ' second '] });
  });
});
