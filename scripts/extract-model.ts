/** @module Extracts a compact, documentation-free Cognito user-pools model (model/cognito-idp.json) from the shared AWS reference files */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_JSON = join(repoRoot, 'model', 'cognito-idp.json');
const OUT_SOURCE = join(repoRoot, 'model', 'SOURCE.md');
const SMITHY_NS = 'com.amazonaws.cognitoidentityprovider#';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/**
 * Keys we knowingly drop. Anything else aborts the extraction, so a new constraint kind
 * in a future model cannot be lost silently.
 */
const IGNORED_SHAPE_KEYS = new Set(['documentation', 'deprecated', 'deprecatedMessage']);
const KEPT_SHAPE_KEYS = ['type', 'members', 'required', 'min', 'max', 'pattern', 'enum', 'sensitive', 'member', 'key', 'value', 'exception', 'fault', 'document'];
const IGNORED_MEMBER_KEYS = new Set(['documentation', 'box', 'deprecated', 'deprecatedMessage']);
const IGNORED_OPERATION_KEYS = new Set(['name', 'http', 'documentation', 'deprecated', 'deprecatedMessage']);
const KEPT_METADATA_KEYS = ['apiVersion', 'targetPrefix', 'jsonVersion', 'protocol'];

function fail(message: string): never {
  throw new Error(`extract-model: ${message}`);
}

function asObject(v: unknown, what: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} is not an object`);
  return v as JsonObject;
}

function ref(v: unknown, what: string): JsonObject {
  const o = asObject(v, what);
  for (const k of Object.keys(o)) if (k !== 'shape' && !IGNORED_MEMBER_KEYS.has(k)) fail(`${what} has unsupported key ${k}`);
  if (typeof o.shape !== 'string') fail(`${what} has no shape`);
  return { shape: o.shape };
}

function httpStatuses(smithy: JsonObject): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, raw] of Object.entries(asObject(smithy.shapes, 'smithy shapes'))) {
    const traits = asObject(asObject(raw, id).traits ?? {}, `${id} traits`);
    const status = traits['smithy.api#httpError'];
    if (id.startsWith(SMITHY_NS) && typeof status === 'number') out.set(id.slice(SMITHY_NS.length), status);
  }
  return out;
}

function extractShape(name: string, raw: JsonObject, statuses: Map<string, number>): JsonObject {
  for (const k of Object.keys(raw)) if (!IGNORED_SHAPE_KEYS.has(k) && !KEPT_SHAPE_KEYS.includes(k)) fail(`shape ${name} has unsupported key ${k}`);
  const out: JsonObject = {};
  for (const k of KEPT_SHAPE_KEYS) {
    const v = raw[k];
    if (v === undefined) continue;
    if (k === 'members') {
      const members: JsonObject = {};
      for (const [m, mv] of Object.entries(asObject(v, `${name}.members`))) members[m] = ref(mv, `${name}.${m}`);
      out.members = members;
    } else if (k === 'member' || k === 'key' || k === 'value') {
      out[k] = ref(v, `${name}.${k}`);
    } else {
      out[k] = v;
    }
  }
  if (raw.exception === true) {
    // Errors the older Smithy file predates fall back to the protocol's client/server defaults.
    out.httpStatus = statuses.get(name) ?? (raw.fault === true ? 500 : 400);
  }
  return out;
}

function extractOperation(name: string, raw: JsonObject): JsonObject {
  for (const k of Object.keys(raw)) {
    if (!IGNORED_OPERATION_KEYS.has(k) && !['input', 'output', 'errors', 'authtype', 'auth'].includes(k)) fail(`operation ${name} has unsupported key ${k}`);
  }
  const http = asObject(raw.http, `${name}.http`);
  if (http.method !== 'POST' || http.requestUri !== '/') fail(`operation ${name} is not POST / (awsJson needs that)`);
  const out: JsonObject = {};
  if (raw.input !== undefined) out.input = ref(raw.input, `${name}.input`).shape ?? null;
  if (raw.output !== undefined) out.output = ref(raw.output, `${name}.output`).shape ?? null;
  out.errors = (Array.isArray(raw.errors) ? raw.errors : []).map((e, i) => ref(e, `${name}.errors[${i}]`).shape ?? null);
  if (raw.authtype !== undefined) out.authtype = raw.authtype;
  if (raw.auth !== undefined) out.auth = raw.auth;
  return out;
}

export interface ReferenceFiles {
  readonly service2: string;
  readonly smithy: string;
  readonly sourceMd: string;
}

export function extract(ref: ReferenceFiles): JsonObject {
  const service = asObject(JSON.parse(ref.service2), 'service-2.json');
  const smithy = asObject(JSON.parse(ref.smithy), 'smithy model');
  const statuses = httpStatuses(smithy);
  const meta = asObject(service.metadata, 'metadata');
  const metadata: JsonObject = {};
  for (const k of KEPT_METADATA_KEYS) {
    if (typeof meta[k] !== 'string') fail(`metadata.${k} missing`);
    metadata[k] = meta[k];
  }
  const operations: JsonObject = {};
  for (const [n, o] of Object.entries(asObject(service.operations, 'operations'))) operations[n] = extractOperation(n, asObject(o, n));
  const shapes: JsonObject = {};
  for (const [n, s] of Object.entries(asObject(service.shapes, 'shapes'))) shapes[n] = extractShape(n, asObject(s, n), statuses);
  for (const [n, o] of Object.entries(operations)) {
    const op = o as JsonObject;
    for (const s of [op.input, op.output, ...(op.errors as Json[])]) if (typeof s === 'string' && !(s in shapes)) fail(`operation ${n} references unknown shape ${s}`);
  }
  return { metadata, operations, shapes };
}

/** Keys sorted by code unit, except structure members, whose model order decides the order of validation errors. */
function canonical(v: Json, keepOrder = false): Json {
  if (Array.isArray(v)) return v.map((x) => canonical(x));
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  if (!keepOrder) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: JsonObject = {};
  for (const k of keys) out[k] = canonical(v[k] as Json, k === 'members' && !keepOrder);
  return out;
}

/** One operation or shape per line: diffs of model updates stay readable and reviewable. */
export function serialize(model: JsonObject): string {
  const c = canonical(model) as JsonObject;
  const sections = Object.keys(c).map((section) => {
    const body = c[section] as JsonObject;
    const isMap = section === 'operations' || section === 'shapes';
    if (!isMap) return `  ${JSON.stringify(section)}: ${JSON.stringify(body)}`;
    const lines = Object.keys(body).map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(body[k])}`);
    return `  ${JSON.stringify(section)}: {\n${lines.join(',\n')}\n  }`;
  });
  return `{\n${sections.join(',\n')}\n}\n`;
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** Provenance facts are taken from the shared SOURCE.md, and its md5 entries are checked against the files actually read. */
function provenance(ref: ReferenceFiles): { service2: Record<string, string>; smithy: Record<string, string> } {
  const sections = ref.sourceMd.split(/^## /m);
  const section = (needle: string): string => sections.find((s) => s.startsWith(needle)) ?? fail(`shared SOURCE.md has no "## ${needle}" section`);
  const row = (text: string, label: string): string => {
    const m = new RegExp(`^\\|\\s*${label}\\s*\\|\\s*\`?([^|\`]+?)\`?\\s*(?:\\(|\\|)`, 'm').exec(text);
    return m?.[1] ?? fail(`shared SOURCE.md lacks the "${label}" row`);
  };
  const s2 = section('service-2.json');
  const sm = section('cognito-identity-provider.smithy.json');
  const out = {
    service2: { repository: row(s2, 'repository'), path: row(s2, 'path'), commit: row(s2, 'last commit touching the file'), md5: row(s2, 'md5') },
    smithy: { repository: row(sm, 'repository'), path: row(sm, 'path'), commit: row(sm, 'commit'), md5: row(sm, 'md5') },
  };
  if (out.service2.md5 !== md5(ref.service2)) fail(`service-2.json md5 ${md5(ref.service2)} differs from the shared SOURCE.md (${out.service2.md5})`);
  if (out.smithy.md5 !== md5(ref.smithy)) fail(`smithy model md5 ${md5(ref.smithy)} differs from the shared SOURCE.md (${out.smithy.md5})`);
  return out;
}

export function renderSource(ref: ReferenceFiles, model: JsonObject): string {
  const p = provenance(ref);
  const ops = Object.keys(model.operations as JsonObject).length;
  const shapes = Object.keys(model.shapes as JsonObject).length;
  return `# Where model/cognito-idp.json comes from

\`cognito-idp.json\` is a machine-made digest of Amazon's published API description of
Cognito user pools (API version ${String((model.metadata as JsonObject).apiVersion)}). It keeps only what the server
needs at runtime or for code generation: operation names with their input, output and
error shapes and auth markers, and for every shape its type, members, required list,
length/value bounds, regular-expression pattern, enum values, sensitivity, and exception
flags. All documentation text is dropped. It currently lists ${ops} operations and ${shapes} shapes.

## Inputs

Shapes, constraints and operations come from botocore's \`service-2.json\` for cognito-idp:

- repository: ${p.service2.repository}
- file: \`${p.service2.path}\`
- last commit touching it: \`${p.service2.commit}\`
- md5: \`${p.service2.md5}\`

The HTTP status of each error shape, and nothing else, comes from the \`smithy.api#httpError\`
trait of an older Smithy JSON model of the same service. Errors that this Smithy file does
not know yet get 400 (client errors) or 500 (faults).

- repository: ${p.smithy.repository}
- file: \`${p.smithy.path}\`
- commit: \`${p.smithy.commit}\`
- md5: \`${p.smithy.md5}\`

Both files are kept outside this repository, in \`../shared/reference/cognito-idp/\` next
to the checkout, together with their own provenance notes.

## Format

Keys are sorted, except each structure's \`members\`, which keep the AWS model's order
(validation errors are reported in that order). One operation or shape per line.
Exception shapes carry \`httpStatus\`, the status code AWS answers with for that error.

## Regenerating

Run \`npm run extract-model\` (optionally \`-- --reference <dir>\`) to rewrite this folder,
then \`npm run gen\` to refresh \`src/model/generated/\`. \`npm run extract-model -- --check\`
verifies that the committed files match the reference copy. Do not edit by hand.
`;
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const refIdx = argv.indexOf('--reference');
  const refDir = refIdx >= 0 && argv[refIdx + 1] ? resolve(argv[refIdx + 1] as string) : resolve(repoRoot, '..', 'shared', 'reference', 'cognito-idp');
  const files = { service2: join(refDir, 'service-2.json'), smithy: join(refDir, 'cognito-identity-provider.smithy.json'), sourceMd: join(refDir, 'SOURCE.md') };
  if (!Object.values(files).every((f) => existsSync(f))) {
    if (check) {
      console.log(`extract-model --check: reference model not present (${refDir}), skipping`);
      return 0;
    }
    console.error(`extract-model: reference model not found in ${refDir} (pass --reference <dir>)`);
    return 1;
  }
  const ref: ReferenceFiles = {
    service2: readFileSync(files.service2, 'utf8'),
    smithy: readFileSync(files.smithy, 'utf8'),
    sourceMd: readFileSync(files.sourceMd, 'utf8'),
  };
  const model = extract(ref);
  const outputs = new Map([[OUT_JSON, serialize(model)], [OUT_SOURCE, renderSource(ref, model)]]);
  if (check) {
    const stale = [...outputs].filter(([f, text]) => !existsSync(f) || readFileSync(f, 'utf8') !== text).map(([f]) => f);
    if (stale.length > 0) {
      console.error(`extract-model --check: out of date, run \`npm run extract-model\`:\n${stale.map((f) => `  ${f.slice(repoRoot.length + 1)}`).join('\n')}`);
      return 1;
    }
    console.log('extract-model --check: model/ is up to date');
    return 0;
  }
  mkdirSync(dirname(OUT_JSON), { recursive: true });
  for (const [f, text] of outputs) writeFileSync(f, text);
  console.log(`extract-model: wrote model/cognito-idp.json (${Object.keys(model.operations as JsonObject).length} operations, ${Object.keys(model.shapes as JsonObject).length} shapes) and model/SOURCE.md`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
