/**
 * @module GET /confirmUser: the link in CONFIRM_WITH_LINK emails. It confirms through the same
 * ConfirmSignUp handler the API uses and answers with a small HTML page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCognitoError } from '../domain/errors.ts';
import { secretHash } from '../domain/secret-hash.ts';
import { confirmSignUp } from '../operations/confirm-sign-up.ts';
import type { Services } from '../operations/services.ts';
import { newRequestId } from '../util/ids.ts';
import type { AddressOf } from './client-address.ts';
import { PAGE_HEADERS } from './page-headers.ts';

export function handleConfirmUser(s: Services, addressOf: AddressOf) {
  const confirm = confirmSignUp(s);
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const clientId = url.searchParams.get('client_id') ?? '';
    const username = url.searchParams.get('user_name') ?? '';
    const code = url.searchParams.get('confirmation_code') ?? '';
    if (!clientId || !username || !code) {
      page(res, 400, 'Invalid link', 'This confirmation link is incomplete.');
      return;
    }
    try {
      // The link carries no SecretHash; this server holds the secret and vouches for its own link.
      const client = await s.store.getClient(clientId);
      const secret = client?.secrets[client.secrets.length - 1];
      const hash = secret ? { SecretHash: secretHash(s.box.decrypt(secret.sealed), username, clientId) } : {};
      await confirm(
        { ClientId: clientId, Username: username, ConfirmationCode: code, ...hash },
        { requestId: newRequestId(), operation: 'ConfirmSignUp', sourceIp: addressOf(req), userAgent: '', now: s.clock.now() },
      );
      page(res, 200, 'Registration confirmed', 'Your registration has been confirmed. You can close this page.');
    } catch (error) {
      if (!isCognitoError(error)) throw error;
      page(res, 400, 'Confirmation failed', error.message);
    }
  };
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`;
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}
