/** @module Emits src/model/generated/validators.ts: Coral-style request validation compiled from the model's constraints */
import { compileJavaRegex } from './java-regex.ts';
import { type Model, type Shape, assertIdentifier, byCodeUnit, header, lit, reachable, shapeOf } from './model.ts';

/**
 * Shapes the model marks sensitive whose values AWS nevertheless echoes in validation
 * messages (seen in real responses), so omitting them would make our messages differ.
 */
const ECHOED_SENSITIVE = new Set(['ClientIdType']);

/**
 * Shapes whose constraints the service applies more widely than its published model: a custom
 * domain (CreateUserPoolDomain with CustomDomainConfig, `auth.example.com`) is a dotted DNS name of
 * up to 253 characters, while the model's DomainType is one label. The operation then tells the
 * two kinds apart (docs/oauth.md). `test` is the pattern checked; a failure still quotes the
 * model's, as the service's messages do.
 */
const SERVICE_ACCEPTS: Readonly<Record<string, { max?: number; test?: string }>> = {
  DomainType: { max: 253, test: '^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?)*$' },
};

const SCALARS = new Set(['string', 'integer', 'long', 'double', 'float', 'boolean', 'blob', 'timestamp']);

/** How a JSON value is recognised for each model type, and what the type error says was expected. */
function typeTest(shape: Shape, x: string): { test: string; expected: string } {
  if (shape.document) return { test: 'true', expected: 'any JSON value' };
  switch (shape.type) {
    case 'string': case 'blob': return { test: `typeof ${x} === 'string'`, expected: 'string' };
    case 'boolean': return { test: `typeof ${x} === 'boolean'`, expected: 'boolean' };
    case 'integer': return { test: `isInt32(${x})`, expected: 'integer' };
    case 'long': return { test: `isInteger(${x})`, expected: 'integer' };
    case 'double': case 'float': return { test: `isFiniteNumber(${x})`, expected: 'number' };
    case 'timestamp': return { test: `isFiniteNumber(${x})`, expected: 'number (epoch seconds)' };
    case 'structure': case 'map': return { test: `isObject(${x})`, expected: 'object' };
    case 'list': return { test: `Array.isArray(${x})`, expected: 'array' };
  }
}

const RUNTIME = `export type ValidationResult =
  | { ok: true }
  | { ok: false; kind: 'InvalidParameterException' | 'SerializationException'; message: string };

/** State of one validation pass; a type error stops the walk because Coral rejects such input before checking constraints. */
interface Ctx {
  readonly errors: string[];
  typeError: string | undefined;
}

type Check = (v: unknown, path: string, where: string, hide: boolean, c: Ctx) => boolean;

const OK: ValidationResult = Object.freeze({ ok: true });

function at(path: string, name: string): string {
  return path === '' ? name : \`\${path}.\${name}\`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeFail(c: Ctx, where: string, expected: string): false {
  c.typeError = where === ''
    ? \`Unexpected type for the request body: expected \${expected}\`
    : \`Unexpected type for member '\${where}': expected \${expected}\`;
  return false;
}

function violation(c: Ctx, echo: string | undefined, path: string, phrase: string): void {
  c.errors.push(\`\${echo === undefined ? 'Value' : \`Value '\${echo}'\`} at '\${path}' failed to satisfy constraint: \${phrase}\`);
}
`;

/** Runtime helpers emitted only when generated code calls them, so unused-symbol checks stay clean. */
const OPTIONAL_HELPERS: ReadonlyArray<readonly [string, readonly string[], string]> = [
  ['isInteger', [], `function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}`],
  ['isInt32', ['isInteger'], `/** Java int range: Coral cannot deserialize anything wider into an integer member. */
function isInt32(v: unknown): v is number {
  return isInteger(v) && v >= -2147483648 && v <= 2147483647;
}`],
  ['isFiniteNumber', [], `function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}`],
  ['missing', [], `function missing(c: Ctx, path: string): void {
  c.errors.push(\`Value null at '\${path}' failed to satisfy constraint: Member must not be null\`);
}`],
  ['echoItem', [], `function echoItem(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null');
}`],
  ['echoList', ['echoItem'], `/** Collections are echoed the way Java's toString prints them, as AWS does. */
function echoList(v: readonly unknown[]): string {
  return \`[\${v.map(echoItem).join(', ')}]\`;
}`],
  ['echoMap', ['echoItem'], `function echoMap(v: Record<string, unknown>): string {
  return \`{\${Object.keys(v).map((k) => \`\${k}=\${echoItem(v[k])}\`).join(', ')}}\`;
}`],
];

function helpersFor(code: string): string {
  const used = new Set(OPTIONAL_HELPERS.filter(([name]) => new RegExp(`\\b${name}\\(`).test(code)).map(([name]) => name));
  for (const [name, deps] of [...OPTIONAL_HELPERS].reverse()) if (used.has(name)) deps.forEach((d) => used.add(d));
  return OPTIONAL_HELPERS.filter(([name]) => used.has(name)).map(([, , text]) => `${text}\n`).join('\n');
}

class Emitter {
  private readonly regexes = new Map<string, string>();
  private readonly enums = new Map<string, string>();
  readonly constants: string[] = [];
  readonly functions: string[] = [];
  readonly notes = new Set<string>();
  private readonly hiddenBelow = new Map<string, boolean>();

  constructor(private readonly model: Model) {}

  isHidden(name: string): boolean {
    return shapeOf(this.model, name).sensitive === true && !ECHOED_SENSITIVE.has(name);
  }

  /** Whether echoing a value of this shape could reveal something sensitive nested inside it. */
  hidesInside(name: string, stack: readonly string[] = []): boolean {
    const known = this.hiddenBelow.get(name);
    if (known !== undefined) return known;
    if (stack.includes(name)) return false;
    const s = shapeOf(this.model, name);
    const children = [...Object.values(s.members ?? {}), s.member, s.key, s.value].flatMap((r) => (r ? [r.shape] : []));
    const result = this.isHidden(name) || children.some((c) => this.hidesInside(c, [...stack, name]));
    this.hiddenBelow.set(name, result);
    return result;
  }

  private regex(pattern: string): string {
    let name = this.regexes.get(pattern);
    if (name === undefined) {
      const compiled = compileJavaRegex(pattern);
      compiled.notes.forEach((n) => this.notes.add(n));
      name = `RE_${this.regexes.size}`;
      this.regexes.set(pattern, name);
      this.constants.push(`/** Java: ${pattern.replace(/\*\//g, '*\\/')} */\nconst ${name} = ${compiled.literal};`);
    }
    return name;
  }

  private enumSet(shapeName: string, values: readonly string[]): string {
    let name = this.enums.get(shapeName);
    if (name === undefined) {
      name = `ENUM_${shapeName}`;
      this.enums.set(shapeName, name);
      this.constants.push(`const ${name}: ReadonlySet<string> = new Set([${values.map(lit).join(', ')}]);`);
    }
    return name;
  }

  /** A scalar's own constraints as [failing condition, phrase]; `aggregated` selects the order AWS uses inside "Member must satisfy constraint: [...]". */
  private scalarChecks(name: string, x: string, aggregated: boolean): Array<[string, string]> {
    const wider = SERVICE_ACCEPTS[name];
    const s = { ...shapeOf(this.model, name), ...(wider?.max !== undefined ? { max: wider.max } : {}) };
    const checks: Array<[string, string]> = [];
    const numeric = s.type === 'integer' || s.type === 'long' || s.type === 'double' || s.type === 'float';
    const size = s.type === 'blob' ? `Buffer.byteLength(${x}, 'base64')` : `${x}.length`;
    const word = numeric ? 'value' : 'length';
    const value = numeric ? x : size;
    const min: Array<[string, string]> = s.min === undefined || (!aggregated && !numeric && s.min <= 0) ? [] : [[`${value} < ${s.min}`, `Member must have ${word} greater than or equal to ${s.min}`]];
    const max: Array<[string, string]> = s.max === undefined ? [] : [[`${value} > ${s.max}`, `Member must have ${word} less than or equal to ${s.max}`]];
    // Coral lists an element shape's constraints max-first inside "[...]"; direct reports follow model reading order.
    checks.push(...(aggregated ? [...max, ...min] : [...min, ...max]));
    if (s.pattern !== undefined) checks.push([`!${this.regex(wider?.test ?? s.pattern)}.test(${x})`, `Member must satisfy regular expression pattern: ${s.pattern}`]);
    if (s.enum !== undefined) checks.push([`!${this.enumSet(name, s.enum)}.has(${x})`, `Member must satisfy enum value set: [${s.enum.join(', ')}]`]);
    return checks;
  }

  private fn(prefix: 'v' | 'p', name: string, params: string, body: string[], returns: string): void {
    const text = body.join('\n');
    // Parameters a body never reads get a leading underscore so stricter compiler settings stay quiet.
    const ps = params.replace(/\b(v|path|where|hide|c)\b(?=:)/g, (p) => (new RegExp(`\\b${p}\\b`).test(text) ? p : `_${p}`));
    this.functions.push(`function ${prefix}_${assertIdentifier(name)}(${ps}): ${returns} {\n${text}\n}`);
  }

  /** Constraint predicate for scalar collection elements, whose failures AWS reports once for the whole collection. */
  predicate(name: string): { fn: string | undefined; phrase: string; type: { test: string; expected: string } } {
    const s = shapeOf(this.model, name);
    const type = typeTest(s, 'e');
    const checks = this.scalarChecks(name, 'e', true);
    if (checks.length === 0) return { fn: undefined, phrase: '', type };
    const tsType = s.type === 'string' || s.type === 'blob' ? 'string' : 'number';
    const fnName = `p_${name}`;
    if (!this.functions.some((f) => f.startsWith(`function ${fnName}(`))) {
      this.fn('p', name, `e: ${tsType}`, [`  return !(${checks.map(([cond]) => cond).join(' || ')});`], 'boolean');
    }
    return { fn: fnName, phrase: checks.map(([, p]) => p).join(', '), type };
  }

  scalar(name: string): void {
    const s = shapeOf(this.model, name);
    const type = typeTest(s, 'v');
    const body = [`  if (!(${type.test})) return typeFail(c, where, ${lit(type.expected)});`];
    const echo = s.type === 'blob' || this.isHidden(name) ? 'undefined' : `hide ? undefined : ${s.type === 'string' ? 'v' : 'JSON.stringify(v)'}`;
    const checks = this.scalarChecks(name, 'v', false);
    if (checks.length > 0) body.push(`  const echo = ${echo};`);
    for (const [cond, phrase] of checks) body.push(`  if (${cond}) violation(c, echo, path, ${lit(phrase)});`);
    body.push('  return true;');
    this.fn('v', name, 'v: unknown, path: string, where: string, hide: boolean, c: Ctx', body, 'boolean');
  }

  /** Argument for a child's `hide` parameter: sensitive shapes hide their whole subtree. */
  hideFor(child: string): string {
    return this.isHidden(child) ? 'true' : 'hide';
  }

  structure(name: string): void {
    const s = shapeOf(this.model, name);
    const required = new Set(s.required ?? []);
    const body = ["  if (!isObject(v)) return typeFail(c, where, 'object');"];
    const members = Object.entries(s.members ?? {});
    if (members.length > 0) body.push('  let m: unknown;');
    for (const [member, ref] of members) {
      if (member in Object.prototype) throw new Error(`${name}.${member} collides with an Object.prototype property`);
      const access = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(member) ? `v.${member}` : `v[${lit(member)}]`;
      const path = `at(path, ${lit(member.charAt(0).toLowerCase() + member.slice(1))})`;
      const call = `v_${ref.shape}(m, ${path}, at(where, ${lit(member)}), ${this.hideFor(ref.shape)}, c)`;
      body.push(`  m = ${access};`);
      // JSON null is how many clients spell "absent"; Coral treats both the same.
      if (required.has(member)) body.push(`  if (m === undefined || m === null) missing(c, ${path});`, `  else if (!${call}) return false;`);
      else body.push(`  if (m !== undefined && m !== null && !${call}) return false;`);
    }
    // Members the model does not define never reach an operation: stored as given they would come
    // back from Describe calls, and nested deeply enough they overflow JSON.stringify in the store.
    const known = `MEMBERS_${name}`;
    this.constants.push(`const ${known}: ReadonlySet<string> = new Set([${members.map(([m]) => lit(m)).join(', ')}]);`);
    body.push(`  for (const k of Object.keys(v)) if (!${known}.has(k)) delete v[k];`);
    body.push('  return true;');
    this.fn('v', name, 'v: unknown, path: string, where: string, hide: boolean, c: Ctx', body, 'boolean');
  }

  private countChecks(name: string, count: string, echo: string): string[] {
    const s = shapeOf(this.model, name);
    const out: string[] = [];
    if (s.min !== undefined && s.min > 0) out.push(`  if (${count} < ${s.min}) violation(c, ${echo}, path, ${lit(`Member must have length greater than or equal to ${s.min}`)});`);
    if (s.max !== undefined) out.push(`  if (${count} > ${s.max}) violation(c, ${echo}, path, ${lit(`Member must have length less than or equal to ${s.max}`)});`);
    return out;
  }

  list(name: string): void {
    const s = shapeOf(this.model, name);
    const elem = s.member?.shape ?? '';
    const es = shapeOf(this.model, elem);
    const echo = this.hidesInside(name) ? 'undefined' : 'hide ? undefined : echoList(v)';
    const body = ["  if (!Array.isArray(v)) return typeFail(c, where, 'array');", ...this.countChecks(name, 'v.length', echo)];
    if (es.type === 'structure' && !es.document) {
      body.push(
        '  for (let i = 0; i < v.length; i++) {',
        '    const e: unknown = v[i];',
        "    if (e === null || e === undefined) return typeFail(c, `${where}[${i}]`, 'object');",
        `    if (!v_${elem}(e, \`\${path}.\${i + 1}.member\`, \`\${where}[\${i}]\`, ${this.hideFor(elem)}, c)) return false;`,
        '  }',
      );
    } else if (SCALARS.has(es.type)) {
      const p = this.predicate(elem);
      body.push(p.fn ? '  let bad = false;' : '', '  for (let i = 0; i < v.length; i++) {', '    const e: unknown = v[i];');
      body.push(`    if (!(${p.type.test})) return typeFail(c, \`\${where}[\${i}]\`, ${lit(p.type.expected)});`);
      if (p.fn) body.push(`    if (!bad && !${p.fn}(e)) bad = true;`);
      body.push('  }');
      if (p.fn) body.push(`  if (bad) violation(c, ${echo}, path, ${lit(`Member must satisfy constraint: [${p.phrase}]`)});`);
    } else {
      throw new Error(`list ${name} of ${es.type} elements: no known Coral message format, extend the generator deliberately`);
    }
    body.push('  return true;');
    this.fn('v', name, 'v: unknown, path: string, where: string, hide: boolean, c: Ctx', body.filter((l) => l !== ''), 'boolean');
  }

  map(name: string): void {
    const s = shapeOf(this.model, name);
    const key = s.key?.shape ?? '';
    const value = s.value?.shape ?? '';
    if (!SCALARS.has(shapeOf(this.model, value).type) || shapeOf(this.model, key).type !== 'string') {
      throw new Error(`map ${name}: only string keys and scalar values have a known Coral message format`);
    }
    const echo = this.hidesInside(name) ? 'undefined' : 'hide ? undefined : echoMap(v)';
    const kp = this.predicate(key);
    const vp = this.predicate(value);
    const count = this.countChecks(name, 'Object.keys(v).length', echo);
    const body = ["  if (!isObject(v)) return typeFail(c, where, 'object');", ...count];
    if (kp.fn) body.push('  let badKey = false;');
    if (vp.fn) body.push('  let badValue = false;');
    body.push('  for (const k of Object.keys(v)) {');
    if (kp.fn) body.push(`    if (!badKey && !${kp.fn}(k)) badKey = true;`);
    body.push('    const e = v[k];', `    if (!(${vp.type.test})) return typeFail(c, \`\${where}{}\`, ${lit(vp.type.expected)});`);
    if (vp.fn) body.push(`    if (!badValue && !${vp.fn}(e)) badValue = true;`);
    body.push('  }');
    // AWS reports key problems before value problems, once each for the whole map.
    if (kp.fn) body.push(`  if (badKey) violation(c, ${echo}, path, ${lit(`Map keys must satisfy constraint: [${kp.phrase}]`)});`);
    if (vp.fn) body.push(`  if (badValue) violation(c, ${echo}, path, ${lit(`Map value must satisfy constraint: [${vp.phrase}]`)});`);
    body.push('  return true;');
    this.fn('v', name, 'v: unknown, path: string, where: string, hide: boolean, c: Ctx', body, 'boolean');
  }

  document(name: string): void {
    this.fn('v', name, 'v: unknown, path: string, where: string, hide: boolean, c: Ctx', ['  return true;'], 'boolean');
  }
}

/** Shapes that need a reporting `v_` function: roots, structure members, and structured collection elements. */
function reportingShapes(model: Model, roots: readonly string[]): string[] {
  const all = reachable(model, roots);
  const needed = new Set(roots);
  for (const name of all) {
    const s = shapeOf(model, name);
    for (const ref of Object.values(s.members ?? {})) needed.add(ref.shape);
    if (s.type === 'list' && s.member && !SCALARS.has(shapeOf(model, s.member.shape).type)) needed.add(s.member.shape);
  }
  return all.filter((n) => needed.has(n));
}

export function emitValidators(model: Model): { text: string; notes: string[] } {
  const opNames = Object.keys(model.operations).sort(byCodeUnit);
  const roots = [...new Set(opNames.flatMap((o) => (model.operations[o]?.input ? [model.operations[o]?.input as string] : [])))];
  const e = new Emitter(model);
  for (const name of reportingShapes(model, roots)) {
    const s = shapeOf(model, name);
    if (s.document) e.document(name);
    else if (s.type === 'structure') e.structure(name);
    else if (s.type === 'list') e.list(name);
    else if (s.type === 'map') e.map(name);
    else e.scalar(name);
  }
  for (const r of roots) if (e.isHidden(r)) throw new Error(`input shape ${r} is sensitive as a whole; root hiding is not implemented`);
  const table = opNames.map((o) => {
    const input = model.operations[o]?.input;
    return `  ${o}: ${input === undefined ? 'null' : `v_${input}`},`;
  });
  const code = `${e.constants.join('\n')}\n\n${e.functions.join('\n\n')}`;
  const text = `${header('model/generated/validators')}
${RUNTIME}
${helpersFor(code)}
${code}

const inputValidators: Readonly<Record<string, Check | null>> = {
${table.join('\n')}
};

/**
 * Validates a parsed JSON request body against the operation's input shape, the way Coral does
 * before an AWS service sees the request. An absent or null body counts as \`{}\`.
 * Throws RangeError for an operation the model does not define: routing must already have
 * answered UnknownOperationException, so reaching this is a programming error, not bad input.
 */
export function validateInput(operation: string, input: unknown): ValidationResult {
  if (!Object.hasOwn(inputValidators, operation)) throw new RangeError(\`validateInput: unknown operation \${JSON.stringify(operation)}\`);
  const check = inputValidators[operation];
  if (check === null || check === undefined) return OK;
  const c: Ctx = { errors: [], typeError: undefined };
  if (!check(input ?? {}, '', '', false, c)) {
    return { ok: false, kind: 'SerializationException', message: c.typeError ?? 'Unexpected request body' };
  }
  const n = c.errors.length;
  if (n === 0) return OK;
  return { ok: false, kind: 'InvalidParameterException', message: \`\${n} validation error\${n === 1 ? '' : 's'} detected: \${c.errors.join('; ')}\` };
}
`;
  return { text, notes: [...e.notes] };
}
