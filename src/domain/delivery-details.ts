/** @module Where a confirmation code goes (spec §7.1) and how the destination is masked in CodeDeliveryDetails. */
import type { DeliveryMedium } from './records.ts';
import { looksLikePhone } from './usernames.ts';

export interface DeliveryTarget {
  attribute: 'email' | 'phone_number';
  medium: DeliveryMedium;
  destination: string;
}

/** SMS wins when both attributes are auto-verified and present (DG: the code goes by SMS only). */
export function chooseDeliveryTarget(
  autoVerified: readonly ('email' | 'phone_number')[],
  attributes: Readonly<Record<string, string>>,
): DeliveryTarget | undefined {
  const phone = attributes.phone_number;
  if (autoVerified.includes('phone_number') && phone) return { attribute: 'phone_number', medium: 'SMS', destination: phone };
  const email = attributes.email;
  if (autoVerified.includes('email') && email) return { attribute: 'email', medium: 'EMAIL', destination: email };
  return undefined;
}

/** `s***@g***` for email (real captures), `+********4114` for phone numbers. */
export function maskDestination(target: DeliveryTarget): string {
  if (target.medium === 'SMS') {
    const digits = target.destination.replace(/^\+/, '');
    return `+${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
  }
  const [local = '', domain = ''] = target.destination.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

export function codeDeliveryDetails(target: DeliveryTarget) {
  return { AttributeName: target.attribute, DeliveryMedium: target.medium, Destination: maskDestination(target) };
}

/**
 * A destination for a user who does not exist, shaped from what was typed so that a simulated
 * delivery looks like a real one: the login itself when it is an address of the right kind.
 */
export function standInTarget(login: string, medium: DeliveryMedium): DeliveryTarget {
  if (medium === 'SMS') return { attribute: 'phone_number', medium, destination: looksLikePhone(login) ? login : '+10000000000' };
  return { attribute: 'email', medium, destination: login.includes('@') ? login : `${login}@${login}` };
}
