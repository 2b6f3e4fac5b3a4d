/** @module Emits src/model/generated/operations.ts: the operation table, error-shape HTTP statuses and the JSON target prefix */
import { type Model, byCodeUnit, header, lit, shapeOf } from './model.ts';

export function emitOperations(model: Model): string {
  const ops = Object.keys(model.operations).sort(byCodeUnit).map((name) => {
    const op = model.operations[name];
    if (op === undefined) throw new Error(`operation ${name} vanished`);
    // The model lists some errors twice (VerifySoftwareToken); one entry each is what callers need.
    const errors = [...new Set(op.errors)];
    for (const e of errors) if (!shapeOf(model, e).exception) throw new Error(`${name} lists non-exception shape ${e} as an error`);
    const noAuth = op.authtype === 'none' || (op.auth ?? []).includes('smithy.api#noAuth');
    const parts = [`name: ${lit(name)}`];
    if (op.input !== undefined) parts.push(`input: ${lit(op.input)}`);
    if (op.output !== undefined) parts.push(`output: ${lit(op.output)}`);
    parts.push(`errors: [${errors.map(lit).join(', ')}]`, `noAuth: ${noAuth}`);
    return `  ${name}: { ${parts.join(', ')} },`;
  });

  const errorShapes = Object.keys(model.shapes).sort(byCodeUnit).flatMap((name) => {
    const s = shapeOf(model, name);
    if (!s.exception) return [];
    if (typeof s.httpStatus !== 'number') throw new Error(`error shape ${name} has no httpStatus; re-run npm run extract-model`);
    return [`  ${name}: { httpStatus: ${s.httpStatus}, fault: ${s.fault === true} },`];
  });

  return `${header('model/generated/operations')}
export interface OperationSpec {
  readonly name: string;
  readonly input?: string;
  readonly output?: string;
  readonly errors: readonly string[];
  readonly noAuth: boolean;
}

export const targetPrefix = ${lit(model.metadata.targetPrefix)};

export const operations: Readonly<Record<string, OperationSpec>> = {
${ops.join('\n')}
};

export const errorShapes: Readonly<Record<string, { readonly httpStatus: number; readonly fault: boolean }>> = {
${errorShapes.join('\n')}
};
`;
}
