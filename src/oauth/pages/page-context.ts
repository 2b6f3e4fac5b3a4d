/**
 * @module What the hosted pages share between the browser and the operations: the authorize query
 * they carry from page to page (OML §5.5), the check of that query on every request, the CSRF-
 * checked form body, the call context and SECRET_HASH the API operations expect, and the
 * operations' errors as text for the page's alert.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCognitoError } from '../../domain/errors.ts';
import type { ClientRecord } from '../../domain/records.ts';
import { secretHash } from '../../domain/secret-hash.ts';
import type { CallContext } from '../../operations/context.ts';
import type { Services } from '../../operations/services.ts';
import { checkAuthorizeRequest, type AuthorizeRequest } from '../authorization.ts';
import type { DomainRequest } from '../endpoint.ts';
import { readForm } from '../oauth-io.ts';
import { csrfAccepted } from './csrf.ts';
import { sendErrorPage } from './error-page.ts';
import { basePath, sendRedirect } from './page-io.ts';

/** Parameters the pages add to the authorize query; everything else is the app's and travels unchanged. */
const PAGE_PARAMETERS = ['username'];

export function authorizeParams(url: URL): URLSearchParams {
  const params = new URLSearchParams(url.search);
  for (const name of PAGE_PARAMETERS) params.delete(name);
  return params;
}

function query(params: URLSearchParams, extra: Record<string, string>): string {
  const all = new URLSearchParams(params);
  for (const [name, value] of Object.entries(extra)) all.set(name, value);
  const text = all.toString();
  return text ? `?${text}` : '';
}

/** A path of this domain with the authorize query, for links and form actions. */
export function pagePath(at: DomainRequest, path: string, params: URLSearchParams, extra: Record<string, string> = {}): string {
  return `${basePath(at)}${path}${query(params, extra)}`;
}

/** The same, absolute, for a redirect (`at.base` is the domain as this browser reached it). */
export function pageLocation(at: DomainRequest, path: string, params: URLSearchParams, extra: Record<string, string> = {}): string {
  return `${at.base}${path}${query(params, extra)}`;
}

/**
 * The authorize request the page's query describes, checked again on every GET and POST (nothing
 * is remembered between pages); when it does not hold, the browser has been sent where the check
 * said (the error page, or the app's callback with ?error=) and the result is undefined.
 */
export async function authorizeRequest(s: Services, res: ServerResponse, at: DomainRequest): Promise<AuthorizeRequest | undefined> {
  const check = await checkAuthorizeRequest(s, at, authorizeParams(at.url));
  if (check.ok) return check.request;
  sendRedirect(res, check.location);
  return undefined;
}

/**
 * A POST's form body, when it is a form with the matching CSRF token; otherwise the error page has
 * been sent (403 for a missing or wrong token, 400 for a body that is not one form) and the result
 * is undefined.
 */
export async function readPageForm(req: IncomingMessage, res: ServerResponse, at: DomainRequest): Promise<Map<string, string> | undefined> {
  const form = await readForm(req);
  if (!form) {
    sendErrorPage(res, at, { status: 400 });
    return undefined;
  }
  if (!csrfAccepted(req, form)) {
    sendErrorPage(res, at, { status: 403 });
    return undefined;
  }
  return form;
}

/** The caller as the API operations see one; the page speaks for the browser that posted it. */
export function callContext(s: Services, req: IncomingMessage, at: DomainRequest, operation: string): CallContext {
  return {
    requestId: at.requestId,
    operation,
    sourceIp: at.sourceIp,
    userAgent: String(req.headers['user-agent'] ?? ''),
    now: s.clock.now(),
  };
}

/**
 * The page is the server itself, so for a client with a secret it computes SECRET_HASH from the
 * stored secret (the newest one) rather than asking the browser for it.
 */
export function secretHashInput(s: Services, client: ClientRecord, username: string): { SecretHash?: string } {
  const secret = client.secrets[client.secrets.length - 1];
  return secret ? { SecretHash: secretHash(s.box.decrypt(secret.sealed), username, client.clientId) } : {};
}

/** A refusal the page shows in its alert, with the operation's own AWS message; anything else is our fault and propagates. */
export function refusalText(error: unknown): { type: string; message: string } {
  if (isCognitoError(error)) return { type: error.type, message: error.message };
  throw error;
}

/** A form value, trimmed where spaces cannot be meant (names, codes); passwords are taken as typed. */
export function formValue(form: ReadonlyMap<string, string>, name: string, trim = true): string {
  const value = form.get(name) ?? '';
  return trim ? value.trim() : value;
}

/** Shared with the console: the model's validation, then the operation's own handler. */
export { runOperation } from '../../web/run-operation.ts';
