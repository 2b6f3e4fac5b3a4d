/** @module Records turned into the model's output structures: epoch-second timestamps, attribute lists, ARNs. */
import { defaultExplicitAuthFlows, defaultPasswordPolicy } from '../../domain/pool-view.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../../domain/records.ts';
import { epochSeconds } from '../../util/clock.ts';
import type { SecretBox } from '../../util/secret-box.ts';
import { STANDARD_SCHEMA } from './standard-schema.ts';

export function poolArn(region: string, accountId: string, poolId: string): string {
  return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;
}

/** UserPoolType: stored settings over the defaults Cognito reports for a pool created without them. */
export function userPoolShape(pool: PoolRecord, region: string, accountId: string, estimatedUsers?: number): Record<string, unknown> {
  const s = pool.settings;
  const policies = (s.Policies ?? {}) as { PasswordPolicy?: Record<string, unknown> };
  const custom = (s.Schema as { Name: string }[] | undefined)?.map((a) => ({ ...a, Name: a.Name.startsWith('custom:') ? a.Name : `custom:${a.Name}` })) ?? [];
  return {
    ...withoutKeys(s, ['Schema']),
    Id: pool.id,
    Name: pool.name,
    Arn: poolArn(region, accountId, pool.id),
    Policies: {
      ...policies,
      PasswordPolicy: {
        MinimumLength: defaultPasswordPolicy.minimumLength,
        RequireUppercase: defaultPasswordPolicy.requireUppercase,
        RequireLowercase: defaultPasswordPolicy.requireLowercase,
        RequireNumbers: defaultPasswordPolicy.requireNumbers,
        RequireSymbols: defaultPasswordPolicy.requireSymbols,
        TemporaryPasswordValidityDays: 7,
        ...policies.PasswordPolicy,
      },
    },
    DeletionProtection: s.DeletionProtection ?? 'INACTIVE',
    LambdaConfig: s.LambdaConfig ?? {},
    SchemaAttributes: [...STANDARD_SCHEMA, ...custom],
    VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE', ...(s.VerificationMessageTemplate as object | undefined) },
    MfaConfiguration: s.MfaConfiguration ?? 'OFF',
    EmailConfiguration: s.EmailConfiguration ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7, ...(s.AdminCreateUserConfig as object | undefined) },
    UserPoolTier: s.UserPoolTier ?? 'ESSENTIALS',
    CreationDate: epochSeconds(pool.createdAt),
    LastModifiedDate: epochSeconds(pool.updatedAt),
    ...(estimatedUsers === undefined ? {} : { EstimatedNumberOfUsers: estimatedUsers }),
  };
}

export function userPoolDescription(pool: PoolRecord): Record<string, unknown> {
  return {
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: pool.settings.LambdaConfig ?? {},
    CreationDate: epochSeconds(pool.createdAt),
    LastModifiedDate: epochSeconds(pool.updatedAt),
  };
}

export function clientShape(client: ClientRecord, box: SecretBox): Record<string, unknown> {
  const newest = client.secrets[client.secrets.length - 1];
  return {
    RefreshTokenValidity: 30,
    TokenValidityUnits: {},
    ExplicitAuthFlows: defaultExplicitAuthFlows,
    AllowedOAuthFlowsUserPoolClient: false,
    EnableTokenRevocation: true,
    EnablePropagateAdditionalUserContextData: false,
    AuthSessionValidity: 3,
    PreventUserExistenceErrors: 'LEGACY',
    ...client.settings,
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.clientId,
    ...(newest ? { ClientSecret: box.decrypt(newest.sealed) } : {}),
    CreationDate: epochSeconds(client.createdAt),
    LastModifiedDate: epochSeconds(client.updatedAt),
  };
}

export function attributeList(user: UserRecord, only?: readonly string[]): { Name: string; Value: string }[] {
  const entries = Object.entries({ sub: user.sub, ...user.attributes });
  return entries.filter(([name]) => !only || only.includes(name)).map(([Name, Value]) => ({ Name, Value }));
}

export function userShape(user: UserRecord, only?: readonly string[]): Record<string, unknown> {
  return {
    Username: user.username,
    Attributes: attributeList(user, only),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

export function withoutKeys(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) if (!keys.includes(k) && v !== undefined) out[k] = v;
  return out;
}
