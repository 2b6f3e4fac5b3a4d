/** @module The settings of a pool and client that the sign-up rules read, with Cognito's defaults applied once. */
import type { AliasAttribute, ClientRecord, PoolRecord } from './records.ts';

export interface PasswordPolicy {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

export interface PoolView {
  id: string;
  caseSensitive: boolean;
  aliasAttributes: AliasAttribute[];
  usernameAttributes: ('email' | 'phone_number')[];
  autoVerified: ('email' | 'phone_number')[];
  passwordPolicy: PasswordPolicy;
  selfSignUpAllowed: boolean;
}

const DEFAULT_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

export function viewPool(pool: PoolRecord): PoolView {
  const s = pool.settings as {
    UsernameConfiguration?: { CaseSensitive?: boolean };
    AliasAttributes?: AliasAttribute[];
    UsernameAttributes?: ('email' | 'phone_number')[];
    AutoVerifiedAttributes?: ('email' | 'phone_number')[];
    Policies?: { PasswordPolicy?: Partial<Record<string, unknown>> };
    AdminCreateUserConfig?: { AllowAdminCreateUserOnly?: boolean };
  };
  const p = s.Policies?.PasswordPolicy ?? {};
  return {
    id: pool.id,
    // The API default is case-sensitive when UsernameConfiguration is omitted (spec §5.1).
    caseSensitive: s.UsernameConfiguration?.CaseSensitive ?? true,
    aliasAttributes: s.AliasAttributes ?? [],
    usernameAttributes: s.UsernameAttributes ?? [],
    autoVerified: s.AutoVerifiedAttributes ?? [],
    passwordPolicy: {
      minimumLength: typeof p.MinimumLength === 'number' ? p.MinimumLength : DEFAULT_POLICY.minimumLength,
      requireUppercase: typeof p.RequireUppercase === 'boolean' ? p.RequireUppercase : DEFAULT_POLICY.requireUppercase,
      requireLowercase: typeof p.RequireLowercase === 'boolean' ? p.RequireLowercase : DEFAULT_POLICY.requireLowercase,
      requireNumbers: typeof p.RequireNumbers === 'boolean' ? p.RequireNumbers : DEFAULT_POLICY.requireNumbers,
      requireSymbols: typeof p.RequireSymbols === 'boolean' ? p.RequireSymbols : DEFAULT_POLICY.requireSymbols,
    },
    selfSignUpAllowed: s.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true,
  };
}

export interface ClientView {
  clientId: string;
  preventUserExistenceErrors: boolean;
  allowsUserAuth: boolean;
  authSessionValidityMinutes: number;
  propagateUserContext: boolean;
  /** Whether callers must prove the client secret (SecretHash) to use this client. */
  hasSecret: boolean;
}

const DEFAULT_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

export function viewClient(client: ClientRecord): ClientView {
  const s = client.settings as {
    PreventUserExistenceErrors?: string;
    ExplicitAuthFlows?: string[];
    AuthSessionValidity?: number;
    EnablePropagateAdditionalUserContextData?: boolean;
  };
  return {
    clientId: client.clientId,
    preventUserExistenceErrors: s.PreventUserExistenceErrors === 'ENABLED',
    allowsUserAuth: (s.ExplicitAuthFlows ?? DEFAULT_FLOWS).includes('ALLOW_USER_AUTH'),
    authSessionValidityMinutes: s.AuthSessionValidity ?? 3,
    propagateUserContext: s.EnablePropagateAdditionalUserContextData === true,
    hasSecret: client.secrets.length > 0,
  };
}

export const defaultExplicitAuthFlows = DEFAULT_FLOWS;
export const defaultPasswordPolicy = DEFAULT_POLICY;
