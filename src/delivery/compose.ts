/**
 * @module Verification messages from the pool's templates (spec §7.4): `{####}` becomes the code,
 * `{username}` the username, and in link mode `{##text##}` a link to this server's /confirmUser.
 */
import type { DeliveryMedium } from '../domain/records.ts';

export interface ComposedMessage {
  subject: string;
  body: string;
}

export interface ComposeInput {
  settings: Record<string, unknown>;
  medium: DeliveryMedium;
  code: string;
  username: string;
  clientId: string;
  publicUrl: string;
  /** Replacements returned by a CustomMessage trigger, already validated. */
  custom?: { emailSubject?: string; emailMessage?: string; smsMessage?: string };
}

export const DEFAULT_EMAIL_SUBJECT = 'Your verification code';
export const DEFAULT_EMAIL_MESSAGE = 'Your verification code is {####}. ';
export const DEFAULT_SMS_MESSAGE = 'Your verification code is {####}. ';
export const DEFAULT_LINK_SUBJECT = 'Your verification link';
export const DEFAULT_LINK_MESSAGE = 'Please click the link below to verify your email address. {##Verify Email##} ';

interface Templates {
  VerificationMessageTemplate?: {
    SmsMessage?: string;
    EmailMessage?: string;
    EmailSubject?: string;
    EmailMessageByLink?: string;
    EmailSubjectByLink?: string;
    DefaultEmailOption?: 'CONFIRM_WITH_CODE' | 'CONFIRM_WITH_LINK';
  };
  EmailVerificationMessage?: string;
  EmailVerificationSubject?: string;
  SmsVerificationMessage?: string;
}

export function composeVerification(input: ComposeInput): ComposedMessage {
  const t = input.settings as Templates;
  const v = t.VerificationMessageTemplate ?? {};
  const fill = (text: string) => text.replaceAll('{####}', input.code).replaceAll('{username}', input.username);

  if (input.medium === 'SMS') {
    return { subject: '', body: fill(input.custom?.smsMessage ?? v.SmsMessage ?? t.SmsVerificationMessage ?? DEFAULT_SMS_MESSAGE) };
  }
  if (v.DefaultEmailOption === 'CONFIRM_WITH_LINK') {
    // A CustomMessage body replaces the link template and may place the link itself ({##…##}).
    const link = confirmLink(input);
    const body = (input.custom?.emailMessage ?? v.EmailMessageByLink ?? DEFAULT_LINK_MESSAGE).replace(
      /\{##(.*?)##\}/gsu,
      (_, text: string) => `<a href="${link}">${escapeHtml(text)}</a>`,
    );
    return { subject: fill(input.custom?.emailSubject ?? v.EmailSubjectByLink ?? DEFAULT_LINK_SUBJECT), body: fill(body) };
  }
  return {
    subject: fill(input.custom?.emailSubject ?? v.EmailSubject ?? t.EmailVerificationSubject ?? DEFAULT_EMAIL_SUBJECT),
    body: fill(input.custom?.emailMessage ?? v.EmailMessage ?? t.EmailVerificationMessage ?? DEFAULT_EMAIL_MESSAGE),
  };
}

/**
 * Cognito's default authentication text (what DescribeUserPool shows as SmsAuthenticationMessage on
 * pools that never set one); the email subject is ours, no AWS default having been captured.
 */
export const DEFAULT_AUTHENTICATION_MESSAGE = 'Your authentication code is {####}. ';
export const DEFAULT_AUTHENTICATION_SUBJECT = 'Your authentication code';

interface AuthenticationTemplates {
  SmsAuthenticationMessage?: string;
  EmailMfaConfiguration?: { Message?: string; Subject?: string };
}

/** A sign-in code (EMAIL_OTP, SMS_OTP): the pool's authentication templates, not its verification ones. */
export function composeAuthentication(input: Pick<ComposeInput, 'settings' | 'medium' | 'code' | 'username' | 'custom'>): ComposedMessage {
  const t = input.settings as AuthenticationTemplates;
  const fill = (text: string) => text.replaceAll('{####}', input.code).replaceAll('{username}', input.username);
  if (input.medium === 'SMS') return { subject: '', body: fill(input.custom?.smsMessage ?? t.SmsAuthenticationMessage ?? DEFAULT_AUTHENTICATION_MESSAGE) };
  return {
    subject: fill(input.custom?.emailSubject ?? t.EmailMfaConfiguration?.Subject ?? DEFAULT_AUTHENTICATION_SUBJECT),
    body: fill(input.custom?.emailMessage ?? t.EmailMfaConfiguration?.Message ?? DEFAULT_AUTHENTICATION_MESSAGE),
  };
}

/**
 * A password-reset code: the pool's verification templates, but always the code ones, since
 * Cognito sends links only for sign-up confirmation (DG "Configuring verification and invitation
 * messages"); the defaults are those of a verification code.
 */
export function composeRecovery(input: Pick<ComposeInput, 'settings' | 'medium' | 'code' | 'username' | 'custom'>): ComposedMessage {
  const t = input.settings as Templates;
  const v = t.VerificationMessageTemplate ?? {};
  const fill = (text: string) => text.replaceAll('{####}', input.code).replaceAll('{username}', input.username);
  if (input.medium === 'SMS') return { subject: '', body: fill(input.custom?.smsMessage ?? v.SmsMessage ?? t.SmsVerificationMessage ?? DEFAULT_SMS_MESSAGE) };
  return {
    subject: fill(input.custom?.emailSubject ?? v.EmailSubject ?? t.EmailVerificationSubject ?? DEFAULT_EMAIL_SUBJECT),
    body: fill(input.custom?.emailMessage ?? v.EmailMessage ?? t.EmailVerificationMessage ?? DEFAULT_EMAIL_MESSAGE),
  };
}

/** An attribute-verification code (UpdateUserAttributes, GetUserAttributeVerificationCode): VerifyUserAttribute takes a code, so the code templates in any mode. */
export const composeAttributeVerification = composeRecovery;

export function confirmLink(input: Pick<ComposeInput, 'publicUrl' | 'clientId' | 'username' | 'code'>): string {
  const query = new URLSearchParams({ client_id: input.clientId, user_name: input.username, confirmation_code: input.code });
  return `${input.publicUrl}/confirmUser?${query.toString().replaceAll('&', '&amp;')}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
