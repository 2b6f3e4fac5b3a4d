/** @module Cross-field rules on pool settings that the model's per-member constraints cannot express. */
import { declareAttributes, type SchemaAttributeInput } from '../../domain/attribute-schema.ts';
import { errors } from '../../domain/messages.ts';
import { passwordHistorySize } from '../../domain/password-policy.ts';

export function checkPoolSettings(settings: Record<string, unknown>): void {
  const aliases = settings.AliasAttributes as string[] | undefined;
  const usernames = settings.UsernameAttributes as string[] | undefined;
  if (aliases?.length && usernames?.length) {
    throw errors.invalidParameter('Only one of AliasAttributes or UsernameAttributes can be set in a User Pool.');
  }
  // The model leaves Name optional, but an attribute without one cannot be stored or described.
  // The wording is ours: no source records Cognito's text for this case.
  const schema = settings.Schema as { Name?: string }[] | undefined;
  if (schema?.some((attribute) => attribute.Name === undefined)) {
    throw errors.invalidParameter('Every attribute in Schema must have a Name.');
  }
  const template = settings.VerificationMessageTemplate as Record<string, unknown> | undefined;
  if (template?.EmailMessageByLink !== undefined && !/\{##[\s\S]*##\}/u.test(String(template.EmailMessageByLink))) {
    throw errors.invalidParameter('EmailMessageByLink must contain a {##Verify Email##} placeholder.');
  }
  // An attribute whose old value stays active until the new one is verified needs a code to verify it.
  const verified = (settings.AutoVerifiedAttributes as string[] | undefined) ?? [];
  const waiting = (settings.UserAttributeUpdateSettings as { AttributesRequireVerificationBeforeUpdate?: string[] } | undefined)?.AttributesRequireVerificationBeforeUpdate ?? [];
  if (waiting.some((name) => !verified.includes(name))) throw errors.verificationBeforeUpdateNotAutoVerified();
  // Password history is a feature of the Essentials and Plus plans.
  if (settings.UserPoolTier === 'LITE' && passwordHistorySize({ ...settings, UserPoolTier: undefined }) > 0) {
    throw errors.featureUnavailableInTier('Password history');
  }
}

/**
 * CreateUserPool's Schema as the pool keeps it: every declaration whole, standard names
 * re-declaring standard attributes and the rest `custom:` ones, checked against Cognito's rules.
 */
export function declaredSchema(settings: Record<string, unknown>): void {
  if (Array.isArray(settings.Schema)) settings.Schema = declareAttributes([], settings.Schema as SchemaAttributeInput[], 'create');
}
