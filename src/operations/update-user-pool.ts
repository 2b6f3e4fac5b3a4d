/**
 * @module UpdateUserPool: like Cognito, settings not sent are reset to their defaults, except the
 * ones fixed at creation (sign-in attributes, case sensitivity, schema).
 */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { checkPoolSettings } from './shared/pool-settings.ts';
import { withoutKeys } from './shared/shapes.ts';

const IMMUTABLE = ['AliasAttributes', 'UsernameAttributes', 'UsernameConfiguration', 'Schema', 'PoolName'];

export function updateUserPool(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const kept = Object.fromEntries(IMMUTABLE.filter((k) => pool.settings[k] !== undefined).map((k) => [k, pool.settings[k]]));
    // The immutable settings are not members of UpdateUserPoolRequest, so nothing validated them: a
    // pool created without one must not take an unchecked value from an update.
    const settings = { ...withoutKeys(input, ['UserPoolId', ...IMMUTABLE]), ...kept };
    checkPoolSettings(settings);
    await s.store.updateUserPool({ ...pool, settings, updatedAt: ctx.now });
    return {};
  };
}
