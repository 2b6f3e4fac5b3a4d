/** @module The README's "### Hosted UI in a browser" code blocks, for the tests that run them as written. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const HEADING = '### Hosted UI in a browser';

/** The one ```<lang> block of the section that contains `marker`; throws unless there is exactly one. */
export function readmeBlock(lang: string, marker: string): string {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(HEADING);
  if (start < 0) throw new Error(`README.md has no "${HEADING}" section`);
  const ends = [readme.indexOf('\n## ', start), readme.indexOf('\n### ', start + 1)].filter((i) => i > 0);
  const section = readme.slice(start, Math.min(...ends, readme.length));
  const blocks = [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'gu'))].map((m) => m[1]!).filter((b) => b.includes(marker));
  if (blocks.length !== 1) throw new Error(`expected one \`\`\`${lang} block with ${marker} in "${HEADING}", found ${blocks.length}`);
  return blocks[0]!;
}
