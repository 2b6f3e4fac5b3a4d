/**
 * @module SigV4 verification for the IAM-authorised (admin) operations in the production profile:
 * the canonical request is rebuilt from what arrived, exactly as AWS Signature Version 4 defines
 * it, signed with the claimed key's secret and compared; the credential scope and the clock are
 * checked as AWS checks them, so nobody without a configured key can create pools or read users.
 */
import { createHash, createHmac } from 'node:crypto';
import { CognitoError } from '../domain/errors.ts';
import { constantTimeEqual } from '../util/secret-box.ts';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What a signature must be scoped to: this server's region, and the service the clients sign for. */
export interface SigningScope {
  region: string;
  service?: string;
}

/**
 * Request headers with lower-case names: `req.headers`, or `req.headersDistinct`, whose arrays keep
 * a repeated header's values apart (Node joins them with ", " where SigV4 joins them with ",").
 */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const SKEW_SECONDS = 5 * 60;

// AWS's texts, byte for byte, trailing spaces included: clients show them unchanged, so tests and
// log searches written against AWS keep working here. Seen in real AWS responses: the mismatch and
// unknown-key texts (from cognito-idp itself), both skew texts, the region text, and region and
// service texts run together as "Credential should be scoped to a valid region. Credential should
// be scoped to correct service: 'dynamodb'. " (DynamoDB, a JSON service like cognito-idp), and the
// "requires" texts. Older responses also quoted the client's value ("..., not 'eu-west-1'. ");
// current ones do not. The date text is the one current response shows (Kinesis, 2022); older
// ones ended "...: '20151124' != '20151125', from '20151125T154140Z'.". No current response with
// a wrong terminator was found, so that text follows the same pattern. The host, algorithm,
// credential-shape and date-format texts are as DynamoDB answered in 2013. The missing-token text
// stays what this server always said, although other JSON services write "Request is missing
// Authentication Token".
const MESSAGES = {
  missingToken: 'Missing Authentication Token',
  unrecognizedClient: 'The security token included in the request is invalid.',
  mismatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  requiresParameter: (name: string) => `Authorization header requires '${name}' parameter. `,
  requiresDate: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
  unsupportedAlgorithm: (algorithm: string) => `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
  badDate: (value: string) => `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  expired: (request: string, limit: string, server: string) => `Signature expired: ${request} is now earlier than ${limit} (${server} - 5 min.)`,
  notYetCurrent: (request: string, limit: string, server: string) => `Signature not yet current: ${request} is still later than ${limit} (${server} + 5 min.)`,
  hostNotSigned: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
  credentialParts: (credential: string) => `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
  wrongRegion: 'Credential should be scoped to a valid region. ',
  wrongService: (service: string) => `Credential should be scoped to correct service: '${service}'. `,
  wrongTerminator: `Credential should be scoped with a valid terminator: '${TERMINATOR}'. `,
  wrongDate: 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP. ',
};

const incomplete = (message: string) => new CognitoError('IncompleteSignatureException', message);
const invalid = (message: string) => new CognitoError('InvalidSignatureException', message);

export class SignatureVerifier {
  readonly #keys: Map<string, string>;
  readonly #region: string;
  readonly #service: string;

  constructor(keys: readonly AccessKey[], scope: SigningScope) {
    this.#keys = new Map(keys.map((k) => [k.accessKeyId, k.secretAccessKey]));
    this.#region = scope.region;
    this.#service = scope.service ?? 'cognito-idp';
  }

  /**
   * Throws the AWS error a real endpoint gives for a missing, malformed, mis-scoped, stale, unknown
   * or wrong signature, checking in the order AWS does (a stale request is refused before its key
   * is looked up). `path` is the request target as sent, query included; `now` is in milliseconds.
   */
  async verify(method: string, path: string, headers: RequestHeaders, body: Buffer, now: number): Promise<void> {
    const authorization = first(headers.authorization) ?? '';
    if (!authorization) throw new CognitoError('MissingAuthenticationTokenException', MESSAGES.missingToken);
    const { algorithm, params } = parseAuthorization(authorization);

    const amzDate = first(headers['x-amz-date']);
    const httpDate = first(headers.date);
    let missing = '';
    for (const name of ['Credential', 'Signature', 'SignedHeaders']) if (!params.get(name)) missing += MESSAGES.requiresParameter(name);
    if (!amzDate && !httpDate) missing += MESSAGES.requiresDate;
    if (missing) throw incomplete(`${missing}Authorization=${authorization}`);
    const credential = params.get('Credential')!;
    const signedList = params.get('SignedHeaders')!;
    const signature = params.get('Signature')!;

    // X-Amz-Date wins over Date; the string to sign carries the ISO-8601 form either way.
    const requestSeconds = amzDate ? parseBasicTimestamp(amzDate) : parseHttpDate(httpDate!);
    if (requestSeconds === undefined) throw incomplete(MESSAGES.badDate((amzDate || httpDate)!));
    const timestamp = basicTimestamp(requestSeconds);
    const serverSeconds = Math.floor(now / 1000);
    if (requestSeconds < serverSeconds - SKEW_SECONDS) {
      throw invalid(MESSAGES.expired(timestamp, basicTimestamp(serverSeconds - SKEW_SECONDS), basicTimestamp(serverSeconds)));
    }
    if (requestSeconds > serverSeconds + SKEW_SECONDS) {
      throw invalid(MESSAGES.notYetCurrent(timestamp, basicTimestamp(serverSeconds + SKEW_SECONDS), basicTimestamp(serverSeconds)));
    }

    const signedNames = signedList.split(';').map((name) => name.toLowerCase());
    // Unsigned, the Host header could be rewritten to replay a request against another endpoint.
    if (!signedNames.includes('host')) throw invalid(MESSAGES.hostNotSigned);
    if (algorithm !== ALGORITHM) throw incomplete(MESSAGES.unsupportedAlgorithm(algorithm));

    const scope = credential.split('/');
    if (scope.length !== 5) throw incomplete(MESSAGES.credentialParts(credential));
    const [accessKeyId = '', scopeDate = '', region = '', service = '', terminator = ''] = scope;
    let wrongScope = '';
    if (region !== this.#region) wrongScope += MESSAGES.wrongRegion;
    if (service !== this.#service) wrongScope += MESSAGES.wrongService(this.#service);
    if (terminator !== TERMINATOR) wrongScope += MESSAGES.wrongTerminator;
    if (scopeDate !== timestamp.slice(0, 8)) wrongScope += MESSAGES.wrongDate;
    if (wrongScope) throw invalid(wrongScope);

    const secretAccessKey = this.#keys.get(accessKeyId);
    if (secretAccessKey === undefined) throw new CognitoError('UnrecognizedClientException', MESSAGES.unrecognizedClient);

    // The payload line is always the hash of the bytes that arrived; a signed x-amz-content-sha256
    // is only one more header, and one that names other bytes is a forgery, not a shortcut.
    const payloadHash = sha256Hex(body);
    if (signedNames.includes('x-amz-content-sha256') && first(headers['x-amz-content-sha256']) !== payloadHash) throw invalid(MESSAGES.mismatch);

    const canonical = canonicalRequest(method, path, headers, signedNames, signedList, payloadHash);
    const stringToSign = [ALGORITHM, timestamp, `${scopeDate}/${region}/${service}/${TERMINATOR}`, sha256Hex(canonical)].join('\n');
    const key = [scopeDate, region, service, TERMINATOR].reduce<Buffer>((k, part) => hmac(k, part), Buffer.from(`AWS4${secretAccessKey}`));
    if (!constantTimeEqual(hmac(key, stringToSign).toString('hex'), signature)) throw invalid(MESSAGES.mismatch);
  }
}

/**
 * AWS's canonical request: method, URI, query, headers, signed-header list and payload hash,
 * newline-separated. Exported for the tests, which check it against AWS's published examples.
 */
export function canonicalRequest(method: string, target: string, headers: RequestHeaders, signedNames: readonly string[], signedList: string, payloadHash: string): string {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt + 1);
  const canonicalHeaders = signedNames.map((name) => `${name}:${canonicalHeaderValue(headers[name])}\n`).join('');
  return [method.toUpperCase(), canonicalPath(path), canonicalQuery(query), canonicalHeaders, signedList, payloadHash].join('\n');
}

/** Space, comma, or both between the Authorization parameters: clients differ, AWS takes them all. */
function parseAuthorization(value: string): { algorithm: string; params: Map<string, string> } {
  const [algorithm = '', ...rest] = value.trim().split(/[\s,]+/u);
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return { algorithm, params };
}

/**
 * Every service but S3 normalises the path (no empty, "." or ".." segments) and encodes each
 * segment once more, even if the client already percent-encoded it on the wire.
 */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  if (segments.length === 0) return '/';
  return `/${segments.join('/')}${path.endsWith('/') ? '/' : ''}`;
}

/** Names and values decoded and re-encoded one way, then sorted by name and, for repeats, by value. */
function canonicalQuery(query: string): string {
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([uriEncode(uriDecode(name)), uriEncode(uriDecode(value))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** Trimmed, inner runs of white space made one space, a repeated header's values joined with ",". */
function canonicalHeaderValue(value: string | readonly string[] | undefined): string {
  const values = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  return values.map((v) => v.trim().replace(/\s+/gu, ' ')).join(',');
}

/** RFC 3986: everything but the unreserved characters A-Z a-z 0-9 - _ . ~ is percent-encoded. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function uriDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Seconds since the epoch, or undefined unless `value` is a real instant written YYYYMMDD'T'HHMMSS'Z'. */
function parseBasicTimestamp(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/u.exec(value);
  if (!m) return undefined;
  const seconds = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  // Date.UTC rolls 20150231 over into March; only a date that formats back unchanged is real.
  return basicTimestamp(seconds) === value ? seconds : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The Date header's IMF-fixdate ("Mon, 09 Sep 2011 23:36:00 GMT"); some clients put the basic ISO form there too. */
function parseHttpDate(value: string): number | undefined {
  const m = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/u.exec(value.trim());
  if (!m) return parseBasicTimestamp(value.trim());
  const month = MONTHS.indexOf(m[2]!);
  if (month === -1) return undefined;
  return parseBasicTimestamp(`${m[3]}${String(month + 1).padStart(2, '0')}${m[1]}T${m[4]}${m[5]}${m[6]}Z`);
}

function basicTimestamp(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:]|\.\d{3}/gu, '');
}
