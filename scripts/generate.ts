/** @module Generates src/model/generated/ (types, operation table, validators, sensitive-member lists) from model/cognito-idp.json */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitOperations } from './gen/emit-operations.ts';
import { emitSensitive } from './gen/emit-sensitive.ts';
import { emitTypes } from './gen/emit-types.ts';
import { emitValidators } from './gen/emit-validators.ts';
import { loadModel } from './gen/model.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODEL = join(repoRoot, 'model', 'cognito-idp.json');
const OUT_DIR = join(repoRoot, 'src', 'model', 'generated');

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const verbose = argv.includes('--verbose');
  // Only the committed extract is read, so a checkout without ../shared can still build.
  const model = loadModel(MODEL);
  const validators = emitValidators(model);
  const files = new Map<string, string>([
    ['types.ts', emitTypes(model)],
    ['operations.ts', emitOperations(model)],
    ['validators.ts', validators.text],
    ['sensitive.ts', emitSensitive(model)],
  ]);
  if (verbose) for (const note of validators.notes) console.log(`pattern translation: ${note}`);

  if (check) {
    const stale = [...files].filter(([f, text]) => {
      const path = join(OUT_DIR, f);
      return !existsSync(path) || readFileSync(path, 'utf8') !== text;
    });
    if (stale.length > 0) {
      console.error(`generate --check: out of date, run \`npm run gen\`:\n${stale.map(([f]) => `  src/model/generated/${f}`).join('\n')}`);
      return 1;
    }
    console.log('generate --check: src/model/generated/ is up to date');
    return 0;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [f, text] of files) writeFileSync(join(OUT_DIR, f), text);
  console.log(`generate: wrote ${[...files.keys()].map((f) => `src/model/generated/${f}`).join(', ')}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error(`generate: ${(err as Error).message}`);
  process.exitCode = 1;
}
