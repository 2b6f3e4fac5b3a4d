/** @module The hosted pages of a domain (OML §5): sign-in, sign-up and confirmation, password reset, the error page. */
import type { Services } from '../../operations/services.ts';
import type { EndpointTable } from '../endpoint.ts';

export function pageEndpoints(_s: Services): EndpointTable {
  return {};
}
