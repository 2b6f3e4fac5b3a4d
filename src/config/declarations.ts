/**
 * @module Pools and clients declared in the config file, created at start-up or brought in line
 * with the file when they exist, so a team can commit its setup and start from it every time.
 */
import { validateInput } from '../model/generated/validators.ts';
import type { ClientRecord, PoolLimits } from '../domain/records.ts';
import type { Store } from '../store/store.ts';
import { newClientId, newClientSecret, newSecretId, newUserPoolId } from '../util/ids.ts';
import type { SecretBox } from '../util/secret-box.ts';
import { ConfigError, type PoolDeclaration } from './config.ts';

export async function applyDeclarations(
  store: Store,
  box: SecretBox,
  pools: readonly PoolDeclaration[],
  context: { region: string; defaultLimits: PoolLimits; now: number },
): Promise<void> {
  for (const [i, declared] of pools.entries()) {
    const settings = declared.settings ?? {};
    check(`pools[${i}].settings`, 'CreateUserPool', { PoolName: declared.name, ...settings });
    const id = declared.id ?? (await poolIdByName(store, declared.name)) ?? newUserPoolId(context.region);
    if (!/^[\w-]+_[0-9a-zA-Z]+$/u.test(id)) throw new ConfigError(`pools[${i}].id "${id}" is not a user pool id such as ${context.region}_Example01`);
    const limits = { ...context.defaultLimits, ...declared.limits };
    const existing = await store.getUserPool(id);
    const record = { id, name: declared.name, settings, limits, createdAt: existing?.createdAt ?? context.now, updatedAt: context.now };
    if (existing) await store.updateUserPool(record);
    else await store.createUserPool(record);

    for (const [j, client] of (declared.clients ?? []).entries()) {
      const where = `pools[${i}].clients[${j}]`;
      check(where, 'CreateUserPoolClient', { UserPoolId: id, ClientName: client.name, ...(client.settings ?? {}) });
      const clientId = client.id ?? (await clientIdByName(store, id, client.name)) ?? newClientId();
      if (!/^[\w+]+$/u.test(clientId)) throw new ConfigError(`${where}.id "${clientId}" is not a client id`);
      const found = await store.getClient(clientId);
      if (found && found.poolId !== id) throw new ConfigError(`${where}.id ${clientId} already belongs to pool ${found.poolId}`);
      const plain = client.secret ?? (client.generateSecret ? newClientSecret() : undefined);
      const record: ClientRecord = {
        clientId,
        poolId: id,
        name: client.name,
        settings: client.settings ?? {},
        secrets: plain ? [{ id: newSecretId(clientId), sealed: box.encrypt(plain), createdAt: context.now }] : [],
        createdAt: found?.createdAt ?? context.now,
        updatedAt: context.now,
      };
      if (!found) {
        await store.createClient(record);
      } else {
        await store.updateClient(record);
        const declaredSecretKnown = !client.secret || found.secrets.some((s) => box.decrypt(s.sealed) === client.secret);
        if (!declaredSecretKnown) await store.addClientSecret(clientId, record.secrets[0]!, 2);
      }
    }
  }
}

/**
 * A pool declared without an id is the existing pool of that name, so that starting twice from
 * the same file does not make a second one; with several of that name, the first by id.
 */
async function poolIdByName(store: Store, name: string): Promise<string | undefined> {
  let cursor: string | undefined;
  do {
    const page = await store.listUserPools(60, cursor);
    const found = page.items.find((pool) => pool.name === name);
    if (found) return found.id;
    cursor = page.next;
  } while (cursor);
  return undefined;
}

/** Likewise for a client declared without an id: the pool's existing client of that name. */
async function clientIdByName(store: Store, poolId: string, name: string): Promise<string | undefined> {
  let cursor: string | undefined;
  do {
    const page = await store.listClients(poolId, 60, cursor);
    const found = page.items.find((client) => client.name === name);
    if (found) return found.clientId;
    cursor = page.next;
  } while (cursor);
  return undefined;
}

function check(where: string, operation: string, input: Record<string, unknown>): void {
  const verdict = validateInput(operation, input);
  if (!verdict.ok) throw new ConfigError(`${where}: ${verdict.message}`);
}
