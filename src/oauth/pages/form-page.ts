/**
 * @module The shape every hosted form page shares: GET (and HEAD) renders it once the authorize
 * query holds; POST reads the CSRF-checked form, checks the query again (it travels in the form's
 * action) and acts; any other method is 405.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../../operations/services.ts';
import type { DomainRequest, Endpoint } from '../endpoint.ts';
import { sendErrorPage } from './error-page.ts';
import { authorizeRequest, readPageForm } from './page-context.ts';
import type { PageState } from './page-render.ts';

export interface FormPage {
  show(p: PageState): void | Promise<void>;
  submit(p: PageState, body: ReadonlyMap<string, string>): Promise<void>;
  /** Replaces `show` where a GET must not need a valid authorize query. */
  get?(req: IncomingMessage, res: ServerResponse, at: DomainRequest): void;
}

export function formPage(s: Services, page: FormPage): Endpoint {
  return async (req, res, at) => {
    const method = req.method ?? 'GET';
    if (method !== 'POST') req.resume();
    if (method === 'GET' || method === 'HEAD') {
      if (page.get) return page.get(req, res, at);
      const request = await authorizeRequest(s, res, at);
      if (request) await page.show({ s, req, res, at, request });
      return;
    }
    if (method !== 'POST') return sendErrorPage(res, at, { status: 405 });
    const body = await readPageForm(req, res, at);
    if (!body) return;
    const request = await authorizeRequest(s, res, at);
    if (request) await page.submit({ s, req, res, at, request }, body);
  };
}
