/** @module Emits src/model/generated/sensitive.ts: per operation, the request/response member paths a logger must redact */
import { type Model, byCodeUnit, header, lit, shapeOf } from './model.ts';

/**
 * Paths use member names joined by dots; `[]` steps into list elements and `{}` into map values.
 * A sensitive shape hides its whole subtree, so nothing below it is listed.
 */
function sensitivePaths(model: Model, root: string): string[] {
  const out: string[] = [];
  const walk = (shapeName: string, path: string, stack: readonly string[]): void => {
    if (stack.includes(shapeName)) return; // recursive shapes: one pass is enough to find every path kind
    const s = shapeOf(model, shapeName);
    if (s.sensitive && path !== '') {
      out.push(path);
      return;
    }
    const next = [...stack, shapeName];
    if (s.type === 'structure') {
      for (const [m, ref] of Object.entries(s.members ?? {})) walk(ref.shape, path === '' ? m : `${path}.${m}`, next);
    } else if (s.type === 'list' && s.member) {
      walk(s.member.shape, `${path}[]`, next);
    } else if (s.type === 'map' && s.value) {
      walk(s.value.shape, `${path}{}`, next);
    }
  };
  walk(root, '', []);
  return out;
}

function table(model: Model, pick: 'input' | 'output'): string {
  return Object.keys(model.operations).sort(byCodeUnit).map((name) => {
    const shape = model.operations[name]?.[pick];
    const paths = shape === undefined ? [] : sensitivePaths(model, shape);
    return `  ${name}: [${paths.map(lit).join(', ')}],`;
  }).join('\n');
}

export function emitSensitive(model: Model): string {
  return `${header('model/generated/sensitive')}
/**
 * Operation name -> dotted paths of request members whose model shape is sensitive.
 * \`A[].B\` is member B of every element of list A; \`A{}\` is every value of map A.
 */
export const sensitiveMembers: Readonly<Record<string, readonly string[]>> = {
${table(model, 'input')}
};

/** Same as sensitiveMembers, for responses. */
export const sensitiveOutputMembers: Readonly<Record<string, readonly string[]>> = {
${table(model, 'output')}
};
`;
}
