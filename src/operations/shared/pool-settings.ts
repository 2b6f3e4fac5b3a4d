/** @module Cross-field rules on pool settings that the model's per-member constraints cannot express. */
import { declareAttributes, type SchemaAttributeInput } from '../../domain/attribute-schema.ts';
import { errors } from '../../domain/messages.ts';

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
}

/**
 * CreateUserPool's Schema as the pool keeps it: every declaration whole, standard names
 * re-declaring standard attributes and the rest `custom:` ones, checked against Cognito's rules.
 */
export function declaredSchema(settings: Record<string, unknown>): void {
  if (Array.isArray(settings.Schema)) settings.Schema = declareAttributes([], settings.Schema as SchemaAttributeInput[], 'create');
}
