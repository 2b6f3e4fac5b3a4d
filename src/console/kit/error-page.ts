/** @module The console's own error pages: 400, 403, 404, 405 and 500, each a full page with the nav. */
import type { ServerResponse } from 'node:http';
import { html } from '../../web/html.ts';
import type { ConsoleRequest } from '../console-types.ts';
import { sendConsolePage } from './layout.ts';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  429: 'Too many requests',
  500: 'Something went wrong',
};

export function sendConsoleError(res: ServerResponse, at: Pick<ConsoleRequest, 'base' | 'url' | 'csrf'>, status: number, message: string): void {
  const title = TITLES[status] ?? 'Error';
  sendConsolePage(res, at, { status, title, body: html`<h1>${title}</h1>\n<p role="alert">${message}</p>\n<p><a href="${at.base}/pools">Back to the pools</a></p>\n` });
}

/** For a page whose pool, client or user does not exist: the API's message in a 404. */
export function sendNotFoundPage(res: ServerResponse, at: Pick<ConsoleRequest, 'base' | 'url' | 'csrf'>, message = 'There is no console page at this address.'): void {
  sendConsoleError(res, at, 404, message);
}
