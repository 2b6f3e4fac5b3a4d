/**
 * @module `npm run build`: compiles src/ into dist/ — an ESM bundle (library and CLI), a CommonJS
 * bundle of the library, and declaration files for both. `--check` only reports whether dist/ is
 * current; `--if-stale` builds only when it is not (used by `prepack` and by tests that need dist/).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Options } from 'tsup';
import ts from 'typescript';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(repoRoot, 'dist');
const STAMP = '.build-stamp';

/** Everything whose change can change what the build writes. */
function inputFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(m|c)?ts$/u.test(entry.name) && !/\.test\.(m|c)?ts$/u.test(entry.name)) files.push(path);
    }
  };
  walk(join(repoRoot, 'src'));
  // The lock stands for the installed dependencies, some of which the CommonJS bundle copies in.
  files.push(...['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.ts'].map((f) => join(repoRoot, f)));
  return files.sort();
}

export function inputHash(): string {
  const hash = createHash('sha256');
  for (const file of inputFiles()) {
    hash.update(relative(repoRoot, file).split(sep).join('/')).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** True when dist/ was built from exactly the current inputs. */
export function isCurrent(): boolean {
  const stamp = join(DIST, STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === inputHash();
}

/**
 * In the CommonJS bundle, turns `import('<package>')` of a dependency into a `require`. Both load
 * the package in plain Node, but Jest runs CommonJS test code in a VM context where `import()`
 * throws unless Jest is started with --experimental-vm-modules, and the SDKs loaded lazily this
 * way (SNS, Lambda) are what users' Jest suites reach when they test SMS delivery or triggers.
 * Dynamic imports of computed specifiers (trigger modules by file URL) stay `import()`: `require`
 * cannot load a file URL or an ES module.
 */
const requireDependencies: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'require-dependencies',
  setup(build) {
    // esbuild filters are Go regular expressions, which take no `u` flag.
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const contents = text.replace(/(?<![\w$.]|typeof\s)import\((['"])([^'".][^'"]*)\1\)/gu, 'Promise.resolve().then(() => require($1$2$1))');
      return { contents, loader: 'ts' };
    });
  },
};

function dependencyNames(): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {});
}

/**
 * Dependencies published as ES modules only, such as jose, which both bundles carry a copy of.
 * The CommonJS bundle must: Node 20.11–20.18 cannot `require` an ES module, nor can Jest's
 * CommonJS runtime before Node 24. The ESM bundle gains by it: such a package is typically dozens
 * of small modules, each resolved and linked at every start (jose: 46 files, about 35 ms to import,
 * 8 ms as one file), where CommonJS packages are loaded on demand by their own `require` calls.
 */
function esmOnlyDependencies(): string[] {
  const requireFromRoot = createRequire(join(repoRoot, 'package.json'));
  return dependencyNames().filter((name) => {
    let entry: string;
    try {
      entry = requireFromRoot.resolve(name);
    } catch (error) {
      // No `require` entry among its exports: ESM only. Anything else is a broken install.
      if ((error as NodeJS.ErrnoException).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return true;
      throw error;
    }
    if (entry.endsWith('.mjs')) return true;
    if (!entry.endsWith('.js')) return false;
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
    }
    return false;
  });
}

/** The licence texts of packages copied into a bundle, which their licences ask to travel with them. */
function licenceBanner(packages: string[]): string {
  if (packages.length === 0) return '';
  const notices = packages.map((name) => {
    const dir = join(repoRoot, 'node_modules', name);
    const file = readdirSync(dir).find((f) => /^licen[cs]e(\.\w+)?$/iu.test(f));
    if (!file) throw new Error(`${name} is bundled into dist/ but ships no licence file to keep with it`);
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    return `${name}@${version}:\n\n${readFileSync(join(dir, file), 'utf8').trim().replaceAll('*/', '* /')}`;
  });
  return `/*!\nuserpool's bundles in dist/ include copies of these packages:\n\n${notices.join('\n\n')}\n*/`;
}

async function bundle(outDir: string): Promise<void> {
  const { build } = await import('tsup');
  const converted = esmOnlyDependencies();
  const common = {
    config: false,
    tsconfig: join(repoRoot, 'tsconfig.json'),
    target: 'node20',
    platform: 'node',
    // Class names appear in logs (pino's `err.type`) and must not pick up a bundler's `2` suffix.
    keepNames: true,
    // Only this package's own code goes into the bundles, and the ES-module-only dependencies; every
    // other package stays an import that the user's install resolves, so an accidental import of a
    // devDependency fails the package test.
    skipNodeModulesBundle: true,
    noExternal: converted,
    banner: { js: licenceBanner(converted) },
    sourcemap: false,
    dts: false,
    clean: false,
    silent: true,
  } as const;
  // Both bundles sit exactly two levels below the package root, as src/store/migrations.ts does
  // in the sources, so its `new URL('../../migrations/', import.meta.url)` finds the same folder.
  await build({
    ...common,
    entry: { index: 'src/index.ts', 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    outDir: join(outDir, 'esm'),
    splitting: true,
  });
  await build({
    ...common,
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    outDir: join(outDir, 'cjs'),
    // One file: a chunk split would land where the depth argument above no longer holds.
    splitting: false,
    // Supplies `import.meta.url` as the bundle's own file URL.
    shims: true,
    esbuildPlugins: [requireDependencies],
  });
  const cjs = readFileSync(join(outDir, 'cjs', 'index.cjs'), 'utf8');
  const left = [...cjs.matchAll(/\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/gu)].map((m) => m[1]);
  if (left.length > 0) throw new Error(`dist/cjs/index.cjs still imports dependencies with import(): ${left.join(', ')}`);
}

interface Specifier {
  start: number;
  end: number;
  text: string;
}

/** Module specifiers of a declaration file: imports, re-exports and `import("…")` types. */
function specifiersOf(fileName: string, text: string): Specifier[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: Specifier[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteral(node)) found.push({ start: node.getStart(source) + 1, end: node.getEnd() - 1, text: node.text });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isModuleDeclaration(node)) add(node.name);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function replaceSpecifiers(text: string, specifiers: Specifier[], map: (text: string) => string): string {
  let out = '';
  let at = 0;
  for (const s of [...specifiers].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, s.start) + map(s.text);
    at = s.end;
  }
  return out + text.slice(at);
}

/** Whether a consumer that installs this package's dependencies gets types for `name`. */
function typedDependency(name: string, dependencies: Record<string, string>): boolean {
  const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!;
  if (dependencies[`@types/${pkg.replace(/^@/u, '').replace('/', '__')}`]) return true;
  if (!dependencies[pkg]) return false;
  const dir = join(repoRoot, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { types?: string; typings?: string; exports?: unknown };
  return Boolean(manifest.types ?? manifest.typings) || JSON.stringify(manifest.exports ?? '').includes('"types"') || existsSync(join(dir, 'index.d.ts'));
}

/**
 * Declarations of the public entry and of every module it reaches, as `.d.ts` for `import` and
 * `.d.cts` for `require`. Modules the public types never reach are left out on purpose: some
 * internal ones have inferred types that cannot be written down in a declaration file (e.g. the
 * SQLite statement map, typed by better-sqlite3's unexported namespace), and shipping them would
 * only widen what consumers' `tsc` has to check.
 */
function declarations(outDir: string): void {
  const configPath = join(repoRoot, 'tsconfig.build.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const format = (diagnostics: readonly ts.Diagnostic[]) =>
    ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repoRoot, getNewLine: () => '\n' });
  // Only what shapes the shipped types stops the build: errors in the compiler options, and (below)
  // errors in the modules whose declarations are shipped. Type errors elsewhere cannot change the
  // bundles (esbuild drops types) and are `npm run typecheck`'s to report, so a tree in the middle
  // of an edit still builds.
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (global.length > 0) throw new Error(`compiler errors:\n${format(global)}`);

  const emitted = new Map<string, string>();
  const result = program.emit(undefined, (file, text) => emitted.set(resolve(file), text), undefined, true);
  const typesRoot = resolve(parsed.options.outDir!);
  const srcRoot = resolve(parsed.options.rootDir!);
  const dependencies = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};

  const reached = new Map<string, { text: string; specifiers: Specifier[] }>();
  const pending = [join(typesRoot, 'index.d.ts')];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (reached.has(file)) continue;
    const text = emitted.get(file);
    const source = join(srcRoot, relative(typesRoot, file)).replace(/\.d\.ts$/u, '.ts');
    const sourceFile = program.getSourceFile(source);
    const problems = [
      ...(sourceFile ? [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)] : []),
      ...result.diagnostics.filter((d) => d.file && resolve(d.file.fileName) === source),
    ];
    if (problems.length > 0 || text === undefined) {
      throw new Error(`${relative(repoRoot, source)}, whose declarations are shipped, does not compile cleanly:\n${format(problems)}`);
    }
    const specifiers = specifiersOf(file, text);
    reached.set(file, { text, specifiers });
    for (const { text: spec } of specifiers) {
      if (spec.startsWith('.')) {
        if (!spec.endsWith('.ts')) throw new Error(`${relative(typesRoot, file)}: relative import without .ts extension: ${spec}`);
        pending.push(resolve(dirname(file), spec.replace(/\.ts$/u, '.d.ts')));
      } else if (!spec.startsWith('node:') && !typedDependency(spec, dependencies)) {
        throw new Error(`${relative(typesRoot, file)} refers to "${spec}", whose types a consumer does not get from this package's dependencies`);
      }
    }
  }

  const target = join(outDir, 'types');
  for (const [file, { text, specifiers }] of reached) {
    const base = join(target, relative(typesRoot, file)).replace(/\.d\.ts$/u, '');
    mkdirSync(dirname(base), { recursive: true });
    const relativeOnly = (ext: string) => (spec: string) => (spec.startsWith('.') ? spec.replace(/\.ts$/u, ext) : spec);
    writeFileSync(`${base}.d.ts`, replaceSpecifiers(text, specifiers, relativeOnly('.js')));
    writeFileSync(`${base}.d.cts`, replaceSpecifiers(text, specifiers, relativeOnly('.cjs')));
  }
}

/**
 * Every `new URL('<relative>', import.meta.url)` left in the bundles must name something that
 * exists once dist/ is in place: the bundler moves code between files, the URLs do not follow.
 */
function checkRelativeUrls(outDir: string): void {
  const pattern = /new URL\(\s*["'`](\.{1,2}\/[^"'`]*)["'`]\s*,\s*(?:import\.meta\.url|importMetaUrl)\s*\)/gu;
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.c?js$/u.test(e.name) ? [join(dir, e.name)] : []));
  for (const file of walk(outDir)) {
    const finalFile = join(DIST, relative(outDir, file));
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const target = fileURLToPath(new URL(match[1]!, pathToFileURL(finalFile)));
      // A target inside dist/ is still being written to outDir; look for it there.
      const inDist = relative(DIST, target);
      const present = !inDist.startsWith('..') ? existsSync(join(outDir, inDist)) || inDist === '' : existsSync(target);
      if (!present) throw new Error(`${relative(repoRoot, finalFile)} looks for ${relative(repoRoot, target) || target}, which does not exist`);
    }
  }
}

export async function buildDist(): Promise<void> {
  const hash = inputHash();
  // Built elsewhere and swapped in at the end, so a failed build never leaves a half-written dist/;
  // under node_modules/ so that an interrupted build leaves nothing in the work tree.
  const staging = join(repoRoot, 'node_modules', '.cache', 'userpool-build', String(process.pid));
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(staging), { recursive: true });
  try {
    await bundle(staging);
    declarations(staging);
    checkRelativeUrls(staging);
    writeFileSync(join(staging, STAMP), `${hash}\n`);
    rmSync(DIST, { recursive: true, force: true });
    renameSync(staging, DIST);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function sizeOf(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? sizeOf(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

async function cli(argv: string[]): Promise<void> {
  if (argv.includes('--check')) {
    if (isCurrent()) {
      console.log('build --check: dist/ is current');
      return;
    }
    console.error('build --check: dist/ is missing or older than its sources; run `npm run build`');
    process.exit(1);
  }
  if (argv.includes('--if-stale') && isCurrent()) return;
  const started = performance.now();
  await buildDist();
  console.log(`built dist/ (${(sizeOf(DIST) / 1024).toFixed(0)} KiB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await cli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`build: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
