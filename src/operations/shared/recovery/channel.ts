/**
 * @module Where a password-reset code goes (sign-in spec §11): the pool's AccountRecoverySetting
 * in priority order, or without it SMS before email; only a verified attribute qualifies.
 */
import type { DeliveryTarget } from '../../../domain/delivery-details.ts';
import type { PoolRecord, UserRecord } from '../../../domain/records.ts';

type Mechanism = 'verified_email' | 'verified_phone_number' | 'admin_only';

/** `admin-only`: the pool lets only an administrator reset passwords. */
export type RecoveryChannel = { kind: 'target'; target: DeliveryTarget } | { kind: 'none' } | { kind: 'admin-only' };

const LEGACY_ORDER: readonly Mechanism[] = ['verified_phone_number', 'verified_email'];

export function recoveryMechanisms(pool: PoolRecord): readonly Mechanism[] {
  const setting = pool.settings.AccountRecoverySetting as { RecoveryMechanisms?: { Name?: string; Priority?: number }[] } | undefined;
  const listed = setting?.RecoveryMechanisms ?? [];
  if (listed.length === 0) return LEGACY_ORDER;
  return [...listed].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0)).map((m) => m.Name as Mechanism);
}

export function adminOnlyRecovery(pool: PoolRecord): boolean {
  return recoveryMechanisms(pool).includes('admin_only');
}

export function recoveryChannel(pool: PoolRecord, user: Pick<UserRecord, 'attributes'>): RecoveryChannel {
  const mechanisms = recoveryMechanisms(pool);
  if (adminOnlyRecovery(pool)) return { kind: 'admin-only' };
  const a = user.attributes;
  for (const mechanism of mechanisms) {
    if (mechanism === 'verified_phone_number' && a.phone_number && a.phone_number_verified === 'true') {
      return { kind: 'target', target: { attribute: 'phone_number', medium: 'SMS', destination: a.phone_number } };
    }
    if (mechanism === 'verified_email' && a.email && a.email_verified === 'true') {
      return { kind: 'target', target: { attribute: 'email', medium: 'EMAIL', destination: a.email } };
    }
  }
  return { kind: 'none' };
}

/**
 * The medium a simulated delivery claims for an unknown user: what the login looks like, else the
 * pool's first choice; a pool without the setting prefers SMS only if it verifies phone numbers.
 */
export function simulatedMedium(pool: PoolRecord, autoVerified: readonly string[], login: string): 'EMAIL' | 'SMS' {
  if (/^\+[0-9]+$/u.test(login)) return 'SMS';
  if (login.includes('@')) return 'EMAIL';
  const listed = (pool.settings.AccountRecoverySetting as { RecoveryMechanisms?: unknown[] } | undefined)?.RecoveryMechanisms?.length ?? 0;
  const first = listed > 0 ? recoveryMechanisms(pool)[0] : autoVerified.includes('phone_number') ? 'verified_phone_number' : 'verified_email';
  return first === 'verified_phone_number' ? 'SMS' : 'EMAIL';
}
