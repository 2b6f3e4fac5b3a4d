/** @module The tokens' issuer in local or AWS form (spec §10.8–10.9) and the OpenID discovery document served beside the JWKS. */

/**
 * `local` (the default, issue 11): `<public URL>/<poolId>`, so generic OIDC and JWT libraries
 * discover the server and fetch its keys by themselves. `aws`: the real service's URL, for code
 * that derives the issuer from the pool id (CognitoJwtVerifier, Amplify) and is handed the keys.
 */
export type IssuerMode = 'local' | 'aws';
export const DEFAULT_ISSUER_MODE: IssuerMode = 'local';

export interface IssuerInput {
  mode: IssuerMode;
  poolId: string;
  /** The server's public origin (and base path, if any); required in `local` mode. */
  publicUrl?: string;
  /** Defaults to the pool id's prefix, which is how AWS forms it. */
  region?: string;
}

const POOL_REGION = /^([a-z0-9-]+)_[A-Za-z0-9]+$/u;

export function regionOf(poolId: string): string {
  const match = POOL_REGION.exec(poolId);
  if (!match) throw new Error(`pool id ${poolId} has no region prefix`);
  return match[1]!;
}

/** A trailing slash would give `//<poolId>` and an issuer no library would match against the URL it fetched. */
function trimSlashes(url: string): string {
  return url.replace(/\/+$/u, '');
}

export function issuerFor(input: IssuerInput): string {
  if (input.mode === 'aws') return `https://cognito-idp.${input.region ?? regionOf(input.poolId)}.amazonaws.com/${input.poolId}`;
  if (!input.publicUrl) throw new Error('the local issuer needs the server public URL');
  return `${trimSlashes(input.publicUrl)}/${input.poolId}`;
}

export function jwksUriFor(issuer: string): string {
  return `${issuer}/.well-known/jwks.json`;
}

export interface OpenIdConfigurationInput {
  issuer: string;
  /** Where the keys are actually served; defaults to `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** The pool domain's base URL; without one the endpoints are `<issuer>/…`, as AWS lists them. */
  domainUrl?: string;
  /**
   * An emulator addition AWS omits (OML §11.1): oauth4webapi-based clients turn PKCE on
   * automatically when they see it, so it is offered only on request.
   */
  advertisePkce?: boolean;
}

export interface OpenIdConfiguration {
  authorization_endpoint: string;
  code_challenge_methods_supported?: string[];
  end_session_endpoint?: string;
  id_token_signing_alg_values_supported: string[];
  issuer: string;
  jwks_uri: string;
  response_types_supported: string[];
  revocation_endpoint?: string;
  scopes_supported: string[];
  subject_types_supported: string[];
  token_endpoint: string;
  token_endpoint_auth_methods_supported: string[];
  userinfo_endpoint: string;
}

/**
 * Members as in the captures of spec §10.8 and OML §11.1, sorted by name as AWS serves them.
 * Without a domain AWS points the endpoints at `<issuer>/authorize`, `/token`, `/userInfo` (paths
 * that do not work there) and lists no revocation or end-session endpoint; with a domain all
 * five live on the domain under `/oauth2/…` and `/logout`.
 */
export function openIdConfiguration(input: OpenIdConfigurationInput): OpenIdConfiguration {
  const issuer = input.issuer;
  const domain = input.domainUrl === undefined ? undefined : trimSlashes(input.domainUrl);
  const doc: OpenIdConfiguration = {
    authorization_endpoint: domain ? `${domain}/oauth2/authorize` : `${issuer}/authorize`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    jwks_uri: input.jwksUri ?? jwksUriFor(issuer),
    response_types_supported: ['code', 'token'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: domain ? `${domain}/oauth2/token` : `${issuer}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    // The capture is cut before this member; `userInfo` follows the domain path's casing (I).
    userinfo_endpoint: domain ? `${domain}/oauth2/userInfo` : `${issuer}/userInfo`,
  };
  if (domain) {
    doc.end_session_endpoint = `${domain}/logout`;
    doc.revocation_endpoint = `${domain}/oauth2/revoke`;
  }
  if (input.advertisePkce) doc.code_challenge_methods_supported = ['S256'];
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(doc).sort()) sorted[name] = doc[name as keyof OpenIdConfiguration];
  return sorted as unknown as OpenIdConfiguration;
}
