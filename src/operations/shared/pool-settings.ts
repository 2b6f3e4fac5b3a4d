/** @module Cross-field rules on pool settings that the model's per-member constraints cannot express. */
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
