/** @module AdminGetUser: by username, active alias or `sub`. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { attributeList } from './shared/shapes.ts';
import { epochSeconds } from '../util/clock.ts';

export function adminGetUser(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { user } = await loadUser(s, String(input.UserPoolId), String(input.Username), ctx);
    return {
      Username: user.username,
      UserAttributes: attributeList(user),
      UserCreateDate: epochSeconds(user.createdAt),
      UserLastModifiedDate: epochSeconds(user.updatedAt),
      Enabled: user.enabled,
      UserStatus: user.status,
    };
  };
}
