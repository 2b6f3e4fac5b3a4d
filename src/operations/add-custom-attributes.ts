/** @module AddCustomAttributes: new `custom:` declarations appended to the pool's schema, never changing or removing one. */
import { declareAttributes, storedDeclarations, type SchemaAttributeInput } from '../domain/attribute-schema.ts';
import { CognitoError } from '../domain/errors.ts';
import { errors } from '../domain/messages.ts';
import type { AddCustomAttributesRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';

export function addCustomAttributes(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AddCustomAttributesRequest;
    const { pool } = await loadPool(s, input.UserPoolId, ctx);
    const requested = input.CustomAttributes as SchemaAttributeInput[];
    // Judged against the schema as stored under the pool's lock, so concurrent additions all land
    // and a name added meanwhile is reported as existing.
    const result = await s.store.amendUserPool(pool.id, ctx.now, (stored) => {
      try {
        const Schema = declareAttributes(storedDeclarations(stored.settings.Schema), requested, 'add');
        return { kind: 'amend', settings: { ...stored.settings, Schema } };
      } catch (error) {
        if (error instanceof CognitoError) return { kind: 'refuse', reason: error };
        throw error;
      }
    });
    if (result.kind === 'not-found') throw errors.poolNotFound(pool.id);
    if (result.kind === 'refused') throw result.reason;
    return {};
  };
}
