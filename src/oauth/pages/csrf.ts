/**
 * @module CSRF for the hosted forms (OML §9): the shared double-submit token (`src/web/csrf.ts`),
 * its cookie scoped to the domain's path, so domains that share a host (the `/_domains/<prefix>/`
 * form) each keep their own.
 */
import type { IncomingMessage } from 'node:http';
import { csrfToken as webCsrfToken, type CsrfToken } from '../../web/csrf.ts';
import type { DomainRequest } from '../endpoint.ts';
import { cookiePath } from './page-io.ts';

export { CSRF_COOKIE, CSRF_FIELD, csrfAccepted, type CsrfToken } from '../../web/csrf.ts';

/** The browser's token when it has a well-formed one (several open tabs keep working), else a new one. */
export function csrfToken(req: IncomingMessage, at: DomainRequest): CsrfToken {
  return webCsrfToken(req, { path: cookiePath(at), secure: at.secure });
}
