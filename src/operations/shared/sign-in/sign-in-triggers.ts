/** @module The Lambda triggers around a sign-in: PreAuthentication before a password is judged, PostAuthentication and PreTokenGeneration before tokens. */
import { errors } from '../../../domain/messages.ts';
import { viewPool } from '../../../domain/pool-view.ts';
import type { PoolRecord, UserRecord } from '../../../domain/records.ts';
import { ADMIN_SCOPE } from '../../../domain/tokens/claims.ts';
import { postAuthenticationEvent, preAuthenticationEvent, preTokenGenerationEvent, type EventOrigin, type TokenGenerationSource } from '../../../triggers/events.ts';
import type { TriggerEvent } from '../../../triggers/triggers.ts';
import type { GroupClaims } from '../groups/group-claims.ts';
import { readOverrides } from './claim-overrides.ts';
import type { IssueOverrides } from './token-service.ts';
import type { SignInContext, SignInServices } from './outcome.ts';

interface PreTokenConfig {
  PreTokenGeneration?: string;
  PreTokenGenerationConfig?: { LambdaVersion?: string; LambdaArn?: string };
}

function originOf(s: SignInServices, c: SignInContext): EventOrigin {
  return { region: s.region ?? 'us-east-1', pool: viewPool(c.pool), clientId: c.client.clientId, userAgent: c.userAgent ?? '' };
}

/**
 * Cognito hands InitiateAuth's ClientMetadata only to PreAuthentication (as validationData); the
 * triggers after it see ClientMetadata only when it came with a challenge answer.
 */
function answerMetadata(c: SignInContext): Record<string, string> | undefined {
  return c.answering ? c.clientMetadata : undefined;
}

/** Unknown users reach the function only under PreventUserExistenceErrors, flagged `userNotFound`. */
export async function runPreAuthentication(s: SignInServices, c: SignInContext, login: string, user: UserRecord | undefined): Promise<void> {
  if (!s.triggers) return;
  const prevent = c.clientView.preventUserExistenceErrors;
  if (!user && !prevent) return;
  await s.triggers.run(c.pool, 'PreAuthentication', preAuthenticationEvent(originOf(s, c), user?.username ?? login, user, c.clientMetadata, prevent));
}

export async function runPostAuthentication(s: SignInServices, c: SignInContext, user: UserRecord): Promise<void> {
  if (!s.triggers) return;
  await s.triggers.run(c.pool, 'PostAuthentication', postAuthenticationEvent(originOf(s, c), user, answerMetadata(c)));
}

function versionOf(config: PreTokenConfig | undefined): TriggerEvent['version'] {
  const version = config?.PreTokenGenerationConfig?.LambdaVersion;
  return version === 'V2_0' ? '2' : version === 'V3_0' ? '3' : '1';
}

/**
 * The runner looks a trigger up by its LambdaConfig name, but a versioned configuration may name
 * the function only in PreTokenGenerationConfig; the pool it is handed then names it under both.
 */
function poolNaming(pool: PoolRecord, config: PreTokenConfig, arn: string): PoolRecord {
  if (config.PreTokenGeneration === arn) return pool;
  return { ...pool, settings: { ...pool.settings, LambdaConfig: { ...config, PreTokenGeneration: arn } } };
}

/**
 * groupOverrideDetails may also replace the roles (iamRolesToOverride) and the preferred role; a
 * member it leaves out keeps what the function was shown (ours, docs/groups.md).
 */
function withRoleOverrides(response: Record<string, unknown> | undefined, version: '1' | '2' | '3', shown: GroupClaims): GroupClaims {
  const outer = response?.[version === '1' ? 'claimsOverrideDetails' : 'claimsAndScopeOverrideDetails'] as Record<string, unknown> | null | undefined;
  const details = outer?.groupOverrideDetails as Record<string, unknown> | null | undefined;
  if (!details || typeof details !== 'object') return shown;
  const roles = details.iamRolesToOverride;
  const preferred = details.preferredRole;
  if (roles !== undefined && roles !== null && (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string'))) throw errors.lambdaUnrecognizable();
  if (preferred !== undefined && preferred !== null && typeof preferred !== 'string') throw errors.lambdaUnrecognizable();
  return {
    groups: shown.groups,
    roles: Array.isArray(roles) ? (roles as string[]) : shown.roles,
    preferredRole: preferred === undefined ? shown.preferredRole : preferred,
  };
}

/**
 * Runs PreTokenGeneration when the pool has it and reads what the answer changes; undefined when
 * there is no function. The function is shown the user's groups, which then travel with its answer.
 */
export async function preTokenOverrides(
  s: SignInServices,
  c: SignInContext,
  user: UserRecord,
  source: TokenGenerationSource,
  /** What the access token will carry: API sign-in grants a single scope, the OAuth grants what was granted. */
  scopes: readonly string[] = [ADMIN_SCOPE],
): Promise<IssueOverrides | undefined> {
  if (!s.triggers) return undefined;
  const config = c.pool.settings.LambdaConfig as PreTokenConfig | undefined;
  const arn = config?.PreTokenGenerationConfig?.LambdaArn ?? config?.PreTokenGeneration;
  if (!config || typeof arn !== 'string') return undefined;
  const version = versionOf(config);
  const shown = await s.tokens.groupClaims(c.pool.id, user.usernameKey);
  const event = preTokenGenerationEvent(originOf(s, c), source, user, { version, ...shown, scopes, clientMetadata: answerMetadata(c) });
  const response = await s.triggers.run(poolNaming(c.pool, config, arn), 'PreTokenGeneration', event);
  return { ...readOverrides(response, version), groupClaims: withRoleOverrides(response, version, shown) };
}
