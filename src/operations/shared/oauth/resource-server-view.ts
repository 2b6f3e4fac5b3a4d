/** @module Resource servers as the API shows and takes them (OML §2.1). */
import { errors } from '../../../domain/messages.ts';
import type { ResourceServerRecord, ResourceServerScope } from '../../../domain/oauth/records.ts';

export function resourceServerShape(server: ResourceServerRecord): Record<string, unknown> {
  return { UserPoolId: server.poolId, Identifier: server.identifier, Name: server.name, Scopes: server.scopes };
}

/** The scopes as given, in order; a name twice would make one token scope string mean two scopes. */
export function scopesFrom(input: unknown): ResourceServerScope[] {
  const scopes = ((input as ResourceServerScope[] | undefined) ?? []).map((s) => ({ ScopeName: String(s.ScopeName), ScopeDescription: String(s.ScopeDescription) }));
  const seen = new Set<string>();
  for (const scope of scopes) {
    if (seen.has(scope.ScopeName)) throw errors.duplicateScopeName(scope.ScopeName);
    seen.add(scope.ScopeName);
  }
  return scopes;
}
