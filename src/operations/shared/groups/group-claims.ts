/**
 * @module The group claims of a user's tokens (docs/groups.md): `cognito:groups` lists every group;
 * `cognito:roles` the groups' IAM roles; `cognito:preferred_role` the role of the group with the
 * lowest Precedence among those with a role, and none when groups tied at that precedence name
 * different roles. A group without a precedence ranks after every group with one.
 */
import type { GroupRecord } from '../../../store/group-store.ts';

export interface GroupClaims {
  groups: string[];
  roles: string[];
  preferredRole: string | null;
}

export const NO_GROUP_CLAIMS: GroupClaims = { groups: [], roles: [], preferredRole: null };

const rank = (g: GroupRecord) => g.precedence ?? Number.POSITIVE_INFINITY;

/** `groups` in the order the claim lists them (the store's: by name). */
export function groupClaims(groups: readonly GroupRecord[]): GroupClaims {
  const withRole = groups.filter((g): g is GroupRecord & { roleArn: string } => g.roleArn !== null);
  // Roles in precedence order, so the preferred role, when there is one, comes first.
  const ranked = [...withRole].sort((a, b) => rank(a) - rank(b) || (a.groupName < b.groupName ? -1 : 1));
  const top = ranked.filter((g) => rank(g) === rank(ranked[0]!));
  const preferred = top.length > 0 && top.every((g) => g.roleArn === top[0]!.roleArn) ? top[0]!.roleArn : null;
  return { groups: groups.map((g) => g.groupName), roles: [...new Set(ranked.map((g) => g.roleArn))], preferredRole: preferred };
}
