/**
 * @module UpdateUserPool: like Cognito, settings not sent are reset to their defaults, except the
 * ones fixed at creation (sign-in attributes, case sensitivity, schema).
 */
import { errors } from '../domain/messages.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { checkPoolSettings } from './shared/pool-settings.ts';
import { withoutKeys } from './shared/shapes.ts';

const IMMUTABLE = ['AliasAttributes', 'UsernameAttributes', 'UsernameConfiguration', 'Schema', 'PoolName'];

function kept(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(IMMUTABLE.filter((k) => settings[k] !== undefined).map((k) => [k, settings[k]]));
}

export function updateUserPool(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    // The immutable settings are not members of UpdateUserPoolRequest, so nothing validated them: a
    // pool created without one must not take an unchecked value from an update.
    const changed = withoutKeys(input, ['UserPoolId', ...IMMUTABLE]);
    checkPoolSettings({ ...changed, ...kept(pool.settings) });
    // The kept settings are taken from the pool as stored under its lock, so a schema that
    // AddCustomAttributes extended meanwhile is not written back to its older self.
    const result = await s.store.amendUserPool(pool.id, ctx.now, (stored) => ({ kind: 'amend', settings: { ...changed, ...kept(stored.settings) } }));
    if (result.kind === 'not-found') throw errors.poolNotFound(pool.id);
    return {};
  };
}
