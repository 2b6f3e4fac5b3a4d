/** @module The From address Cognito uses for a pool's email (spec §7.4 EmailConfiguration). */

export const COGNITO_DEFAULT_FROM = 'no-reply@verificationemail.com';

export function senderAddress(settings: Record<string, unknown>): string {
  const config = settings.EmailConfiguration as { EmailSendingAccount?: string; From?: string; SourceArn?: string } | undefined;
  if (config?.EmailSendingAccount !== 'DEVELOPER') return COGNITO_DEFAULT_FROM;
  if (config.From) return config.From;
  // arn:aws:ses:<region>:<account>:identity/<address or domain>
  const identity = config.SourceArn?.split(':identity/')[1];
  if (identity) return identity.includes('@') ? identity : `no-reply@${identity}`;
  return COGNITO_DEFAULT_FROM;
}
