/** @module Emits src/model/generated/types.ts: one TypeScript type per model shape, named after the shape */
import { type Model, type Shape, assertIdentifier, byCodeUnit, header, lit, propKey } from './model.ts';

/** The wire form of each scalar under awsJson 1.1 (timestamps are epoch seconds, blobs base64 text). */
function scalarType(shape: Shape): string {
  switch (shape.type) {
    case 'string':
      return shape.enum ? shape.enum.map(lit).join(' | ') : 'string';
    case 'integer': case 'long': case 'double': case 'float': case 'timestamp':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'blob':
      return 'string';
    default:
      throw new Error(`no scalar mapping for shape type ${shape.type}`);
  }
}

function declaration(name: string, shape: Shape): string {
  assertIdentifier(name);
  if (shape.document) return `export type ${name} = unknown;`;
  switch (shape.type) {
    case 'structure': {
      const required = new Set(shape.required ?? []);
      const members = Object.entries(shape.members ?? {});
      if (members.length === 0) return `export interface ${name} {}`;
      const lines = members.map(([m, ref]) => `  ${propKey(m)}${required.has(m) ? '' : '?'}: ${assertIdentifier(ref.shape)};`);
      return `export interface ${name} {\n${lines.join('\n')}\n}`;
    }
    case 'list':
      return `export type ${name} = ${assertIdentifier(shape.member?.shape ?? '')}[];`;
    case 'map':
      return `export type ${name} = Record<string, ${assertIdentifier(shape.value?.shape ?? '')}>;`;
    default:
      return `export type ${name} = ${scalarType(shape)};`;
  }
}

export function emitTypes(model: Model): string {
  const names = Object.keys(model.shapes).sort(byCodeUnit);
  const body = names.map((n) => declaration(n, model.shapes[n] as Shape)).join('\n\n');
  return `${header('model/generated/types')}\n${body}\n`;
}
