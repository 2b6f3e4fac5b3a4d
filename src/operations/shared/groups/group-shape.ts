/** @module GroupType as the model has it: optional members only when set, timestamps in epoch seconds. */
import type { GroupRecord } from '../../../store/group-store.ts';
import { epochSeconds } from '../../../util/clock.ts';

export function groupShape(group: GroupRecord): Record<string, unknown> {
  return {
    GroupName: group.groupName,
    UserPoolId: group.poolId,
    ...(group.description !== null ? { Description: group.description } : {}),
    ...(group.roleArn !== null ? { RoleArn: group.roleArn } : {}),
    ...(group.precedence !== null ? { Precedence: group.precedence } : {}),
    LastModifiedDate: epochSeconds(group.updatedAt),
    CreationDate: epochSeconds(group.createdAt),
  };
}

/** ListGroups, AdminListGroupsForUser and ListUsersInGroup take a Limit of 0 like an absent one, as ListUsers does. */
export function pageLimit(limit: number | undefined): number {
  return limit ? limit : 60;
}
