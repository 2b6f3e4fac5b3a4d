/**
 * @module The end of every hosted sign-in: the PROTOCOL side's completeAuthorization starts the
 * browser session and issues the grant (OML §4.3); the page answers 302 with its Set-Cookie headers.
 */
import type { ServerResponse } from 'node:http';
import type { UserRecord } from '../../domain/records.ts';
import type { Services } from '../../operations/services.ts';
import { completeAuthorization, type AuthorizeRequest } from '../authorization.ts';
import type { DomainRequest } from '../endpoint.ts';
import { sendRedirect } from './page-io.ts';

export async function grantAndRedirect(s: Services, res: ServerResponse, at: DomainRequest, request: AuthorizeRequest, user: UserRecord, authTime: number): Promise<void> {
  const { location, setCookie } = await completeAuthorization(s, at, request, user, authTime);
  sendRedirect(res, location, setCookie);
}
