/** @module UpdateUserPoolClient: like Cognito, settings not sent return to their defaults. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { clientSettings } from './shared/client-settings.ts';
import { checkCustomScopes } from './shared/oauth/client-oauth.ts';
import { loadPoolClient } from './shared/client-lookup.ts';
import { clientShape } from './shared/shapes.ts';

export function updateUserPoolClient(s: Pick<Services, 'store' | 'gate' | 'box'>): OperationHandler {
  return async (input, ctx) => {
    const { pool, client } = await loadPoolClient(s, input, ctx);
    const updated = {
      ...client,
      name: input.ClientName === undefined ? client.name : String(input.ClientName),
      settings: clientSettings(input, client.secrets.length > 0, pool, 'updating'),
      updatedAt: ctx.now,
    };
    await checkCustomScopes(s.store, pool.id, updated.settings);
    await s.store.updateClient(updated);
    return { UserPoolClient: clientShape(updated, s.box) };
  };
}
