/** @module DeleteUserPoolClientSecret: retires one of a client's secrets; hashes made with it stop verifying. */
import { errors } from '../domain/messages.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadClient } from './shared/client-lookup.ts';

export function deleteUserPoolClientSecret(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const client = await loadClient(s, input, ctx);
    const secretId = String(input.ClientSecretId);
    if (!(await s.store.deleteClientSecret(client.clientId, secretId))) throw errors.secretNotFound(secretId);
    return {};
  };
}
