#!/usr/bin/env node
/** @module The `userpool` command: runs the compiled CLI from dist/, or the sources in a clone that was never built. */
import { existsSync } from 'node:fs';

const built = new URL('../dist/esm/cli/main.js', import.meta.url);
let cli;
if (existsSync(built)) {
  cli = await import(built.href);
} else {
  // Only a checkout lacks dist/ (the published package always has it), and a checkout has tsx
  // among its devDependencies; `npm run build` makes later starts about twice as fast.
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
await cli.main(process.argv);
