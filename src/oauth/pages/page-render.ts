/** @module Rendering a hosted page: the layout with the pool's branding, the CSRF cookie when the browser has none, and the page's CSP extras. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../../operations/services.ts';
import type { AuthorizeRequest } from '../authorization.ts';
import type { DomainRequest } from '../endpoint.ts';
import { poolBranding } from './branding.ts';
import { csrfToken } from './csrf.ts';
import type { SafeHtml } from '../../web/html.ts';
import { layout } from './layout.ts';
import { basePath, formTargets, sendHtml } from './page-io.ts';

/** One request to a page, after its authorize query held. */
export interface PageState {
  s: Services;
  req: IncomingMessage;
  res: ServerResponse;
  at: DomainRequest;
  request: AuthorizeRequest;
}

export function renderPage(p: PageState, status: number, title: string, body: (csrf: string) => SafeHtml): void {
  const csrf = csrfToken(p.req, p.at);
  const branding = poolBranding(p.request.pool);
  sendHtml(p.res, status, layout({ title, base: basePath(p.at), body: body(csrf.value), branding }), {
    setCookie: csrf.setCookie,
    policy: { formTargets: formTargets(p.request.redirectUri), imageOrigins: branding.logoOrigin ? [branding.logoOrigin] : [] },
  });
}

