/** @module Client settings as stored: everything the request carried except identity and secret fields. */
import { errors } from '../../domain/messages.ts';
import { withoutKeys } from './shapes.ts';

const NOT_SETTINGS = ['UserPoolId', 'ClientId', 'ClientName', 'GenerateSecret', 'ClientSecret'];

export function clientSettings(input: Record<string, unknown>, hasSecret: boolean): Record<string, unknown> {
  const settings = withoutKeys(input, NOT_SETTINGS);
  if (settings.EnablePropagateAdditionalUserContextData === true && !hasSecret) {
    throw errors.invalidParameter('EnablePropagateAdditionalUserContextData can only be set for a client with a client secret.');
  }
  return settings;
}
