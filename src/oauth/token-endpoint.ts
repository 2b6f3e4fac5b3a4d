/** @module POST /oauth2/token on a domain (OML §6): the form and the client's credentials in, the bare OAuth JSON answer out. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DomainRecord } from '../domain/oauth/records.ts';
import type { Services } from '../operations/services.ts';
import { tokenGrant } from '../operations/shared/oauth/token-grant.ts';
import { answeredPreflight, basicCredentials, readForm, sendOAuthJson } from './oauth-io.ts';

export function tokenEndpoint(s: Services) {
  return async (req: IncomingMessage, res: ServerResponse, domain: DomainRecord): Promise<void> => {
    if (answeredPreflight(req, res, 'POST')) return;
    if (req.method !== 'POST') {
      req.resume();
      sendOAuthJson(res, 405, { error: 'invalid_request' }, { Allow: 'POST' });
      return;
    }
    const params = await readForm(req);
    if (!params) {
      sendOAuthJson(res, 400, { error: 'invalid_request' });
      return;
    }
    const outcome = await tokenGrant(s, { domain, params, basic: basicCredentials(req.headers.authorization), now: s.clock.now() });
    // AWS's error bodies carry `error` alone (OML §6.3); every error, invalid_client included, is a 400 there.
    if (outcome.ok) sendOAuthJson(res, 200, outcome.body);
    else sendOAuthJson(res, 400, { error: outcome.error });
  };
}
