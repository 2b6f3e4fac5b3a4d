/** @module CreateUserPool: stores the settings as given and answers with the pool as DescribeUserPool would. */
import { errors } from '../domain/messages.ts';
import type { PoolRecord } from '../domain/records.ts';
import type { CreateUserPoolRequest } from '../model/generated/types.ts';
import { newUserPoolId } from '../util/ids.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { userPoolShape, withoutKeys } from './shared/shapes.ts';
import { checkPoolSettings, declaredSchema } from './shared/pool-settings.ts';
import { withSchemaAttributes } from './shared/standard-schema.ts';

export function createUserPool(s: Pick<Services, 'store' | 'region' | 'accountId' | 'defaultLimits'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as CreateUserPoolRequest;
    const settings = withoutKeys(raw, ['PoolName']);
    checkPoolSettings(settings);
    declaredSchema(settings);
    const pool: PoolRecord = {
      id: newUserPoolId(s.region),
      name: input.PoolName,
      settings,
      limits: s.defaultLimits,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    if (!(await s.store.createUserPool(pool))) throw errors.internal();
    return { UserPool: withSchemaAttributes(userPoolShape(pool, s.region, s.accountId, 0), pool) };
  };
}
