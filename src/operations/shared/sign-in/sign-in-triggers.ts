/** @module The Lambda triggers around a sign-in: PreAuthentication before a password is judged, PostAuthentication and PreTokenGeneration before tokens. */
import { viewPool } from '../../../domain/pool-view.ts';
import type { PoolRecord, UserRecord } from '../../../domain/records.ts';
import { ADMIN_SCOPE } from '../../../domain/tokens/claims.ts';
import { postAuthenticationEvent, preAuthenticationEvent, preTokenGenerationEvent, type EventOrigin, type TokenGenerationSource } from '../../../triggers/events.ts';
import type { TriggerEvent } from '../../../triggers/triggers.ts';
import { readOverrides, type TokenOverrides } from './claim-overrides.ts';
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

/** Runs PreTokenGeneration when the pool has it and reads what the answer changes; undefined when nothing does. */
export async function preTokenOverrides(s: SignInServices, c: SignInContext, user: UserRecord, source: TokenGenerationSource): Promise<TokenOverrides | undefined> {
  if (!s.triggers) return undefined;
  const config = c.pool.settings.LambdaConfig as PreTokenConfig | undefined;
  const arn = config?.PreTokenGenerationConfig?.LambdaArn ?? config?.PreTokenGeneration;
  if (!config || typeof arn !== 'string') return undefined;
  const version = versionOf(config);
  // Groups do not reach tokens yet, so the function is shown none and API sign-in's single scope.
  const event = preTokenGenerationEvent(originOf(s, c), source, user, { version, groups: [], scopes: [ADMIN_SCOPE], clientMetadata: answerMetadata(c) });
  const response = await s.triggers.run(poolNaming(c.pool, config, arn), 'PreTokenGeneration', event);
  return readOverrides(response, version);
}
