/**
 * @module The generic error page (OML §3 `/error`, R-RM, R-ERRPG): where the browser goes when a
 * request cannot be trusted to a redirect (unknown client, unregistered redirect_uri), and what a
 * refused form post shows. Its text is Cognito's: "An error was encountered with the requested page."
 */
import type { ServerResponse } from 'node:http';
import type { DomainRequest, Endpoint } from '../endpoint.ts';
import { html } from '../../web/html.ts';
import { layout } from './layout.ts';
import { basePath, sendHtml } from './page-io.ts';

export const DEFAULT_ERROR = 'An error was encountered with the requested page.';

/** OAuth error codes are short lower-case words; anything else in `?error=` is not shown (no reflected text). */
const ERROR_CODE = /^[a-z_]{1,64}$/u;

export function sendErrorPage(res: ServerResponse, at: DomainRequest, input: { status: number; message?: string; code?: string }): void {
  const code = input.code && ERROR_CODE.test(input.code) ? input.code : undefined;
  const body = html`<h1>Something went wrong</h1>
<p role="alert">${input.message ?? DEFAULT_ERROR}</p>
${code ? html`<p class="note">Error: <code>${code}</code></p>\n` : ''}`;
  sendHtml(res, input.status, layout({ title: 'Error', base: basePath(at), body }));
}

/** GET /error?error=…&client_id=… renders the page with status 400 (the status is ours, I). */
export const errorEndpoint: Endpoint = async (req, res, at) => {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendErrorPage(res, at, { status: 405 });
  sendErrorPage(res, at, { status: 400, code: at.url.searchParams.get('error') ?? undefined });
};
