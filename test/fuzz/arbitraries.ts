/** @module Fast-check arbitraries for Cognito requests, derived from the API model when the suite runs: valid, boundary and hostile values, kept as JSON text. */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { translateJavaRegex } from '../../scripts/gen/java-regex.ts';
import { loadModel, shapeOf, type Model, type Shape } from '../../scripts/gen/model.ts';
import { lit, mutateAt, NULL, places, str, type Body, type Doc, type FuzzRequest, type Mutation, type RefKind } from './doc.ts';

export const model: Model = loadModel(fileURLToPath(new URL('../../model/cognito-idp.json', import.meta.url)));
export const TARGET_PREFIX = model.metadata.targetPrefix;

/** Names that mean something to JavaScript objects; as member names and map keys they probe prototype handling. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'];

/** Strings that are awkward for some layer: lone surrogates (sent as `\ud800` escapes), NUL, bidi marks, case folding, injections. */
export const EDGE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\udbffy', '\ud83d\ude00', '👩‍👩‍👧‍👦', '\u202e\u200f', '\u200b', '\ufeff', '\u2028\u2029',
  '\u0085', 'İ', 'ı', 'ß', 'ﬀ', 'e\u0301', '\uffff', '\ufffd', '\u00a0', '\t\r\n', '\x7f', '\x1b[31m', '%00', '../../etc/passwd',
  "' OR 1=1 --", '"\\', '${jndi:ldap://x}', '{{7*7}}', '<script>', 'null', 'undefined', 'NaN', '-0', ...PROTO_KEYS,
];

/** Every member name the model knows: sent where it does not belong, it tests whether unmodelled members are really ignored. */
const MEMBER_NAMES = [...new Set(Object.values(model.shapes).flatMap((s) => Object.keys(s.members ?? {})))].sort();
const strayKey = fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.constantFrom(...MEMBER_NAMES));

const edgeString = fc.constantFrom(...EDGE_STRINGS);
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 });
const oddString = fc.oneof(edgeString, fc.string({ unit: 'binary', maxLength: 40 }), loneSurrogates, fc.string({ unit: 'grapheme', maxLength: 40 }));
/** Sizes around the server's 1 MiB body limit and well below it. */
const longDoc: fc.Arbitrary<Doc> = fc.record({
  k: fc.constant('long' as const),
  unit: fc.constantFrom('a', '😀', '\u0000', 'é', '\ud800', '\\', ' '),
  count: fc.constantFrom(257, 4097, 65_537, 300_000, 1_048_000, 1_048_577),
});
const deepDoc: fc.Arbitrary<Doc> = fc.record({ k: fc.constant('deep' as const), depth: fc.constantFrom(64, 1000, 5000, 10_000, 100_000), object: fc.boolean() });
const manyDoc: fc.Arbitrary<Doc> = fc.record({
  k: fc.constant('many' as const),
  item: fc.constantFrom(NULL, lit('1'), lit('{}'), lit('""'), lit('[]')),
  count: fc.constantFrom(1000, 100_000, 300_000),
});
const wideDoc: fc.Arbitrary<Doc> = fc.record({ k: fc.constant('wide' as const), count: fc.constantFrom(1000, 50_000) });
/** One oversized value; deep nesting twice as often, since recursion in any layer is where it bites. */
const bomb: fc.Arbitrary<Doc> = fc.oneof({ weight: 1, arbitrary: longDoc }, { weight: 2, arbitrary: deepDoc }, { weight: 1, arbitrary: manyDoc }, { weight: 1, arbitrary: wideDoc });
const numberLit = fc.constantFrom('0', '-0', '-1', '1.5', '1e400', '-1e400', '2147483648', '-2147483649', '9007199254740993', '1e-400', '0.0000001', '1E2').map(lit);

/** Any JSON value at all: what a member gets when it is given the wrong type. */
export const anyJson: fc.Arbitrary<Doc> = fc.letrec<{ value: Doc }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'json' },
    { weight: 4, arbitrary: fc.constantFrom(NULL, lit('true'), lit('false'), lit('[]'), lit('{}')) },
    { weight: 3, arbitrary: numberLit },
    { weight: 3, arbitrary: fc.integer().map((n) => lit(String(n))) },
    { weight: 4, arbitrary: oddString.map(str) },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 3 }).map((items): Doc => ({ k: 'arr', items })) },
    { weight: 2, arbitrary: fc.array(fc.tuple(fc.oneof(oddString, fc.constantFrom(...PROTO_KEYS)), tie('value')), { maxLength: 3 }).map((entries): Doc => ({ k: 'obj', entries })) },
    { weight: 1, arbitrary: bomb },
  ),
})).value;

/** The model's Java pattern as a whole-string JavaScript regex, or undefined where the translation or fast-check cannot follow it. */
function patternOf(shape: Shape): RegExp | undefined {
  if (shape.pattern === undefined) return undefined;
  try {
    const re = new RegExp(`^(?:${translateJavaRegex(shape.pattern).source})$`, 'u');
    // fast-check refuses, when built, what it cannot generate (a lookbehind in one model pattern).
    fc.stringMatching(re);
    return re;
  } catch {
    return undefined;
  }
}

/** Bends a generated string into [min, max] UTF-16 units; repeating the last character keeps most `[...]+` patterns satisfied. */
function fit(s: string, min: number, max: number): string {
  if (s.length > max) return s.slice(0, max);
  if (s.length >= min) return s;
  const pad = s.length > 0 ? s[s.length - 1]! : 'a';
  return s + pad.repeat(min - s.length);
}

/** Mostly the request's own slot, so the pool, client and user of one request belong together. */
function refArb(ref: RefKind): fc.Arbitrary<Doc> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(4) }).map((slot): Doc => ({ k: 'ref', ref, slot }));
}

/** Cursor-shaped: base64url, like the tokens the server hands out, over arbitrary content. */
const tokenArb = fc.oneof(oddString, fc.string({ maxLength: 30 })).map((s) => str(Buffer.from(s || 'x').toString('base64url')));

/**
 * Values by shape name that reach further into the handlers than random text: live ids, attribute
 * names the server knows, a password that meets the default policy. Keyed by model shape, not member.
 */
const HINTS: Readonly<Record<string, fc.Arbitrary<Doc>>> = {
  UserPoolIdType: refArb('poolId'),
  ClientIdType: refArb('clientId'),
  UsernameType: refArb('username'),
  GroupNameType: refArb('groupName'),
  ClientSecretIdType: refArb('secretId'),
  SecretHashType: fc.constant<Doc>({ k: 'ref', ref: 'secretHash' }),
  AttributeNameType: fc.constantFrom('email', 'phone_number', 'name', 'preferred_username', 'sub', 'email_verified', 'custom:tier', 'custom:nope', ...PROTO_KEYS).map(str),
  AttributeValueType: fc.oneof(
    fc.stringMatching(/^[a-z0-9.+-]{1,12}@[a-z]{1,8}\.[a-z]{2,3}$/).map(str),
    fc.stringMatching(/^\+[1-9][0-9]{6,14}$/).map(str),
    fc.constantFrom('true', 'false', '').map(str),
  ),
  PasswordType: fc.stringMatching(/^[A-Z][a-z]{3,10}[0-9]{1,3}[!#%^*-]$/).map(str),
  ConfirmationCodeType: fc.oneof(refArb('code'), fc.stringMatching(/^[0-9]{6}$/).map(str)),
  UserFilterType: fc.tuple(fc.constantFrom('username', 'email', 'status', 'sub', 'cognito:user_status', 'nope'), fc.constantFrom('=', '^='), oddString)
    .map(([a, op, v]) => str(`${a} ${op} ${JSON.stringify(v)}`)),
  // One well-formed declaration now and then, so AddCustomAttributes reaches the schema rules.
  CustomAttributesListType: fc
    .tuple(fc.stringMatching(/^[a-z]{1,12}$/), fc.constantFrom('String', 'Number'))
    .map(([name, type]): Doc => ({ k: 'arr', items: [{ k: 'obj', entries: [['Name', str(name)], ['AttributeDataType', str(type)]] }] })),
  SearchPaginationTokenType: tokenArb,
  PaginationKeyType: tokenArb,
  PaginationKey: tokenArb,
  // The slot's own domain, so Update/Describe/DeleteUserPoolDomain meet a live one; a slot's client id is a valid
  // prefix too, so CreateUserPoolDomain can make a new one now and then.
  DomainType: fc.oneof(refArb('domain'), refArb('clientId')),
  WrappedIntegerType: fc.constantFrom(1, 2).map((n) => lit(String(n))),
  ResourceServerIdentifierType: fc.constantFrom('fuzz-api', 'https://api.example.com').map(str),
  // Client OAuth settings the server accepts (OML §2), so CreateUserPoolClient and UpdateUserPoolClient still reach a 200.
  CallbackURLsListType: fc.constant<Doc>({ k: 'arr', items: [str('https://app.example.com/cb'), str('http://localhost:3000/cb')] }),
  LogoutURLsListType: fc.constant<Doc>({ k: 'arr', items: [str('https://app.example.com/bye')] }),
  RedirectUrlType: fc.constant(str('https://app.example.com/cb')),
  ScopeListType: fc.constant<Doc>({ k: 'arr', items: [str('openid'), str('email')] }),
  // Standard attributes every pool has, readable and writable by a client, so client requests with these lists can succeed.
  ClientPermissionListType: fc.subarray(['email', 'name', 'family_name', 'locale']).map((names): Doc => ({ k: 'arr', items: names.map(str) })),
  SupportedIdentityProvidersListType: fc.constant<Doc>({ k: 'arr', items: [str('COGNITO')] }),
  OAuthFlowsType: fc.constant<Doc>({ k: 'arr', items: [str('code')] }),
};

type Mode = 'valid' | 'hostile';

const INT32 = { min: -2147483648, max: 2147483647 };
const memo = new Map<string, fc.Arbitrary<Doc>>();

/** Values of a shape: in 'valid' mode ones that pass its constraints as often as practical, in 'hostile' mode with bad members mixed in at every level. */
export function shapeArb(name: string, mode: Mode): fc.Arbitrary<Doc> {
  const key = `${mode}:${name}`;
  let arb = memo.get(key);
  if (!arb) {
    const shape = shapeOf(model, name);
    const base = plainArb(shape, mode);
    const hint = HINTS[name];
    arb = hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 2, arbitrary: base }) : base;
    memo.set(key, arb);
  }
  return arb;
}

function plainArb(shape: Shape, mode: Mode): fc.Arbitrary<Doc> {
  switch (shape.type) {
    case 'string': return stringArb(shape);
    case 'integer':
    case 'long': return fc.integer({ min: shape.min ?? INT32.min, max: shape.max ?? INT32.max }).map((n) => lit(String(n)));
    case 'boolean': return fc.boolean().map((b) => lit(String(b)));
    case 'timestamp':
    case 'double':
    case 'float': return fc.double({ noNaN: true, noDefaultInfinity: true, min: shape.min, max: shape.max }).map((n) => lit(JSON.stringify(n)));
    case 'blob': return fc.uint8Array({ maxLength: 32 }).map((b) => str(Buffer.from(b).toString('base64')));
    case 'list': {
      const min = shape.min ?? 0;
      const items = fc.array(memberArb(shape.member!.shape, mode), { minLength: min, maxLength: Math.min(shape.max ?? min + 4, min + 4) });
      return items.map((docs): Doc => ({ k: 'arr', items: docs }));
    }
    case 'map': {
      const keys = textArb(shapeOf(model, shape.key!.shape));
      const keyArb = mode === 'hostile' ? fc.oneof(keys, fc.constantFrom(...PROTO_KEYS), oddString) : keys;
      const entries = fc.array(fc.tuple(keyArb, memberArb(shape.value!.shape, mode)), { maxLength: 4 });
      return entries.map((e): Doc => ({ k: 'obj', entries: e }));
    }
    case 'structure': return structureArb(shape, mode);
  }
}

const textMemo = new Map<Shape, fc.Arbitrary<string>>();

/** Building a pattern's arbitrary is costly (Unicode classes become code-point sets), so each shape builds it once. */
function textArb(shape: Shape): fc.Arbitrary<string> {
  let arb = textMemo.get(shape);
  if (!arb) {
    const min = shape.min ?? 0;
    const max = Math.min(shape.max ?? 256, min + 256);
    const re = patternOf(shape);
    const plain = shape.enum ? fc.constantFrom(...shape.enum) : re ? fc.stringMatching(re) : fc.string({ unit: 'grapheme', maxLength: 64 });
    // Awkward strings the constraints still allow (NUL matches `[\S]+`, anything matches no pattern at all).
    const odd = fc.tuple(oddString, plain).map(([o, p]) => (re && !re.test(fit(o, min, max)) ? p : o));
    arb = shape.enum ? plain : fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: odd }).map((s) => fit(s, min, max));
    textMemo.set(shape, arb);
  }
  return arb;
}

function stringArb(shape: Shape): fc.Arbitrary<Doc> {
  return textArb(shape).map(str);
}

/** Lengths and values just inside and just outside the shape's constraints. */
function boundaryArb(name: string): fc.Arbitrary<Doc> {
  const shape = shapeOf(model, name);
  const edges = (min: number | undefined, max: number | undefined) =>
    [min === undefined ? undefined : min - 1, min, max, max === undefined ? undefined : max + 1].filter((n): n is number => n !== undefined && n >= 0);
  switch (shape.type) {
    case 'string': {
      const lengths = edges(shape.min, shape.max);
      if (shape.enum) return fc.constantFrom(...shape.enum.map((e) => e.toLowerCase()), `${shape.enum[0]} `, '').map(str);
      if (lengths.length === 0) return fc.oneof(longDoc, shapeArb(name, 'valid'));
      return fc.tuple(fc.constantFrom(...lengths), stringArb(shape)).map(([n, doc]): Doc => {
        const sample = doc.k === 'str' && doc.value.length > 0 ? doc.value : 'a';
        return n > 4096 ? { k: 'long', unit: sample[sample.length - 1]!, count: n } : str(fit(sample.repeat(Math.ceil(n / sample.length)), n, n));
      });
    }
    case 'integer':
    case 'long': {
      const values = [shape.min, shape.max].filter((n): n is number => n !== undefined).flatMap((n) => [n - 1, n, n + 1]);
      return fc.constantFrom(...values, INT32.max, INT32.max + 1, INT32.min - 1, 2 ** 53 + 1).map((n) => lit(String(n)));
    }
    case 'list': {
      const lengths = edges(shape.min, shape.max ?? 60);
      return fc.tuple(fc.constantFrom(...lengths), memberArb(shape.member!.shape, 'valid'))
        .map(([n, item]): Doc => (n > 200 ? { k: 'many', item, count: n } : { k: 'arr', items: Array.from({ length: n }, () => item) }));
    }
    default:
      return shapeArb(name, 'valid');
  }
}

function memberArb(name: string, mode: Mode): fc.Arbitrary<Doc> {
  if (mode === 'valid') return shapeArb(name, 'valid');
  return fc.oneof(
    { weight: 20, arbitrary: shapeArb(name, 'hostile') },
    { weight: 3, arbitrary: boundaryArb(name) },
    { weight: 1, arbitrary: fc.constant(NULL) },
    { weight: 2, arbitrary: anyJson },
  );
}

const absent = fc.constant(undefined);

const INPUT_SHAPES = new Set(Object.values(model.operations).map((op) => op.input));

function structureArb(shape: Shape, mode: Mode): fc.Arbitrary<Doc> {
  const required = new Set(shape.required ?? []);
  // A request's own optional members are sent more often than nested ones, as real callers do
  // (a SignUp without Password gets no further than its first check).
  const presence = [...INPUT_SHAPES].some((name) => name !== undefined && model.shapes[name] === shape) ? 12 : 7;
  const members = Object.entries(shape.members ?? {}).map(([member, ref]) => {
    const entry = memberArb(ref.shape, mode).map((doc) => [member, doc] as const);
    if (required.has(member)) return mode === 'valid' ? entry : fc.oneof({ weight: 19, arbitrary: entry }, { weight: 1, arbitrary: absent });
    // JSON null is how many clients spell "not set", so even valid input carries it now and then.
    return fc.oneof({ weight: 20 - presence, arbitrary: absent }, { weight: presence, arbitrary: entry }, { weight: 1, arbitrary: fc.constant([member, NULL] as const) });
  });
  const present = fc.tuple(...members).map((es) => es.filter((e): e is readonly [string, Doc] => e !== undefined));
  if (mode === 'valid') return present.map((entries): Doc => ({ k: 'obj', entries }));
  const names = Object.keys(shape.members ?? {});
  const extraKey = fc.oneof(
    strayKey,
    ...(names.length > 0 ? [fc.constantFrom(...names), fc.constantFrom(...names).map((n) => n.toLowerCase())] : []),
    oddString,
  );
  const extras = fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(extraKey, anyJson), { minLength: 1, maxLength: 3 }) });
  return fc.tuple(present, extras, fc.boolean()).map(([own, more, first]): Doc => ({ k: 'obj', entries: first ? [...more, ...own] : [...own, ...more] }));
}

/** A valid document with exactly one thing wrong: the likeliest way to get a bad value past every other check. */
function oneOff(input: string): fc.Arbitrary<Doc> {
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 3, arbitrary: fc.constant<Mutation>({ kind: 'replace', value: NULL }) },
    { weight: 3, arbitrary: anyJson.map((value): Mutation => ({ kind: 'replace', value })) },
    { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'drop' }) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.oneof(strayKey, oddString), fc.oneof({ weight: 3, arbitrary: anyJson }, { weight: 1, arbitrary: bomb }))
        .map(([key, value]): Mutation => ({ kind: 'sibling', key, value })),
    },
  );
  return fc.tuple(shapeArb(input, 'valid'), fc.nat(), mutation).map(([doc, pick, m]) => {
    const n = places(doc);
    return n === 0 ? doc : mutateAt(doc, pick % n, m);
  });
}

/** Bodies no well-behaved client sends: broken JSON, wrong encodings, a JSON value that is not an object. */
const notJson: fc.Arbitrary<Body> = fc.oneof(
  fc.constantFrom(
    '', ' ', '{', '}', '{"a":}', '{,}', "{'a':1}", '{"a":1,}', '\ufeff{}', '{}garbage', '{}{}', 'NaN', '{"a":NaN}', '{"a":0x10}', '{"a":01}',
    '/*c*/{}', '{"a":"\u0000"}', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"\\ud800":"\\udc00\\ud800"}', 'nul', '{"a":1e99999}', '\u0000', '{"a"\u00a0:1}',
  ).map((text): Body => ({ k: 'text', text })),
  fc.uint8Array({ maxLength: 256 }).map((b): Body => ({ k: 'bytes', bytes: [...b] })),
  // Invalid UTF-8: a lone surrogate, an overlong slash, a truncated sequence, UTF-16 with its BOM.
  fc.constantFrom([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d], [0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d], [0x7b, 0x22, 0xe2, 0x82, 0x22, 0x3a, 0x31, 0x7d], [0xff, 0xfe, 0x7b, 0, 0x7d, 0])
    .map((bytes): Body => ({ k: 'bytes', bytes })),
);

/** Documents with a bomb: top-level non-objects, deep nesting, huge strings or arrays (anywhere in valid input), duplicate keys. */
function pathological(input: string): fc.Arbitrary<Body> {
  const names = Object.keys(shapeOf(model, input).members ?? {});
  const key = fc.oneof(...(names.length > 0 ? [fc.constantFrom(...names)] : []), strayKey, fc.constant('Unknown'));
  // Placed like any other mutation: as a member value, a list item, or an unknown member beside one.
  const placed = fc.tuple(shapeArb(input, 'valid'), fc.nat(), key, bomb, fc.nat(3)).map(([doc, pick, k, value, where]): Doc => {
    const beside = where > 0;
    const n = places(doc);
    const top: Doc = { k: 'obj', entries: [...(doc.k === 'obj' ? doc.entries : []), [k, value]] };
    return n === 0 ? top : mutateAt(doc, pick % n, beside ? { kind: 'sibling', key: k, value } : { kind: 'replace', value });
  });
  return fc.oneof(
    { weight: 1, arbitrary: fc.oneof(deepDoc, manyDoc, fc.constantFrom(lit('[]'), lit('"x"'), lit('1'), NULL, lit('true'), lit('[{}]'))).map((doc): Body => ({ k: 'json', doc })) },
    { weight: 4, arbitrary: placed.map((doc): Body => ({ k: 'json', doc })) },
    {
      weight: 1,
      arbitrary: fc.tuple(shapeArb(input, 'valid'), shapeArb(input, 'hostile')).map(([a, b]): Body => ({
        k: 'json',
        doc: { k: 'obj', entries: [...(a.k === 'obj' ? a.entries : []), ...(b.k === 'obj' ? b.entries : [])] },
      })),
    },
    { weight: 1, arbitrary: fc.tuple(shapeArb(input, 'valid'), fc.double({ min: 0.05, max: 0.95, noNaN: true })).map(([doc, keep]): Body => ({ k: 'cut', doc, keep })) },
  );
}

const CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-amz-json-1.0', 'multipart/form-data; boundary=x', '\u00ff'];

/** One request for `operation`: mostly the real target and content type, with its input shape valid or hostile, sometimes worse. */
export function requestArb(operation: string): fc.Arbitrary<FuzzRequest> {
  const input = model.operations[operation]?.input;
  if (!input) throw new Error(`operation ${operation} has no input shape in the model`);
  const body = fc.oneof(
    { weight: 6, arbitrary: shapeArb(input, 'valid').map((doc): Body => ({ k: 'json', doc })) },
    { weight: 6, arbitrary: oneOff(input).map((doc): Body => ({ k: 'json', doc })) },
    { weight: 5, arbitrary: shapeArb(input, 'hostile').map((doc): Body => ({ k: 'json', doc })) },
    { weight: 3, arbitrary: pathological(input) },
    { weight: 1, arbitrary: notJson },
  );
  const target = fc.oneof(
    { weight: 40, arbitrary: fc.constant(`${TARGET_PREFIX}.${operation}`) },
    { weight: 1, arbitrary: fc.constantFrom(`${TARGET_PREFIX}.${operation.toLowerCase()}`, operation, `${TARGET_PREFIX}.${operation} `, ...PROTO_KEYS.map((k) => `${TARGET_PREFIX}.${k}`)) },
  );
  const contentType = fc.oneof({ weight: 30, arbitrary: fc.constant('application/x-amz-json-1.1') }, { weight: 1, arbitrary: fc.constantFrom(undefined, ...CONTENT_TYPES) });
  return fc.record({ operation: fc.constant(operation), target, contentType, slot: fc.nat(4), aim: fc.nat(99), body });
}
