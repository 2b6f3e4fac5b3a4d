/**
 * @module Builds one `Store` out of a backend's aggregates. Each aggregate is its own object with
 * helpers its neighbours call inside their transactions; only the intents listed here become the
 * store's methods, so those helpers never leak to callers. The lists are checked against the
 * interfaces both ways: an intent added to an interface and forgotten here does not compile.
 */
import type { AccountStore } from './account-store.ts';
import type { AttributeStore } from './attribute-store.ts';
import type { ConfigStore } from './config-store.ts';
import type { GroupStore } from './group-store.ts';
import type { OAuthGrantStore } from './oauth-grant-store.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { SessionStore, Store, StoreLifecycle } from './store.ts';
import type { UserStore } from './user-store.ts';

export interface Aggregates {
  config: ConfigStore;
  users: UserStore;
  sessions: SessionStore;
  outbox: OutboxStore;
  accounts: AccountStore;
  attributes: AttributeStore;
  groups: GroupStore;
  grants: OAuthGrantStore;
}

/** Which aggregate owns which intent; also the table of contents of docs/store.md. */
export const INTENTS = {
  config: [
    'wipe', 'metaGetOrSet',
    'createUserPool', 'getUserPool', 'listUserPools', 'updateUserPool', 'amendUserPool', 'deleteUserPool',
    'createClient', 'getClient', 'listClients', 'updateClient', 'deleteClient', 'addClientSecret', 'deleteClientSecret',
    'createDomain', 'getDomain', 'domainsOfPool', 'updateDomain', 'deleteDomain',
    'createResourceServer', 'getResourceServer', 'resourceServersOfPool', 'listResourceServers', 'updateResourceServer', 'deleteResourceServer',
  ],
  users: ['insertUser', 'importUsers', 'findUser', 'getUser', 'listUsers', 'usersWatermark', 'countUsers', 'setUserEnabled', 'deleteUser', 'confirmSignUp', 'reissueSignUpCode', 'reinviteUser'],
  sessions: [
    'getCredentials', 'setPassword', 'recordPasswordFailure',
    'insertAuthSession', 'takeAuthSession', 'peekAuthSession', 'recordSessionFailure', 'completeSignIn',
    'getRefreshToken', 'rotateRefreshToken', 'familyRevoked', 'revokeFamily', 'revokeUserTokens', 'refreshTokensOfUser',
    'getSigningKeys', 'addSigningKeys', 'rotateSigningKeys',
  ],
  outbox: ['claimOutbox', 'markOutboxSent', 'markOutboxFailed', 'listOutbox', 'outboxPending', 'pageOutbox', 'getOutboxMessage', 'retryOutboxMessage', 'outboxWatermark'],
  accounts: ['issueRecoveryCode', 'redeemRecoveryCode', 'replacePassword', 'passwordHistory'],
  attributes: ['changeAttributes', 'issueAttributeCode', 'verifyAttribute'],
  groups: ['createGroup', 'getGroup', 'listGroups', 'updateGroup', 'deleteGroup', 'addUserToGroup', 'removeUserFromGroup', 'listGroupsForUser', 'listUsersInGroup', 'userGroups'],
  grants: ['issueAuthorizationCode', 'redeemAuthorizationCode', 'grantedScopes', 'startBrowserSession', 'browserSession', 'endBrowserSession', 'browserSessionsOfUser'],
} as const satisfies { [A in keyof Aggregates]: readonly (keyof Aggregates[A])[] };

type Unlisted<A extends keyof Aggregates> = Exclude<keyof Aggregates[A], (typeof INTENTS)[A][number]>;
// Compiles only while every intent of every aggregate interface is listed above.
const everyIntentListed: { [A in keyof Aggregates]: [Unlisted<A>] extends [never] ? true : Unlisted<A> } = {
  config: true,
  users: true,
  sessions: true,
  outbox: true,
  accounts: true,
  attributes: true,
  groups: true,
  grants: true,
};
void everyIntentListed;

export function assemble(lifecycle: StoreLifecycle, aggregates: Aggregates): Store {
  const store: Record<string, unknown> = {
    kind: lifecycle.kind,
    ping: () => lifecycle.ping(),
    schemaCurrent: () => lifecycle.schemaCurrent(),
    close: () => lifecycle.close(),
    settled: () => lifecycle.settled?.(),
  };
  for (const name of Object.keys(INTENTS) as (keyof Aggregates)[]) {
    const aggregate = aggregates[name] as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const intent of INTENTS[name]) {
      const method = aggregate[intent];
      if (typeof method !== 'function') throw new Error(`the ${name} aggregate lacks ${intent}`);
      store[intent] = method.bind(aggregate);
    }
  }
  return store as unknown as Store;
}
