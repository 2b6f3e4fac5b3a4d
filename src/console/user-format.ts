/**
 * @module Small pieces the console's user pages share: their paths, dates kept in epoch ms, the
 * verified mark of a contact attribute, and reading an operation's attribute list.
 */
import { html, type SafeHtml } from '../web/html.ts';
import { dateTime, seg, statusBadge } from './kit/index.ts';

/**
 * `/pools/<pool>/users[/<user>[/<action>]]` inside the console, each part encoded: usernames may
 * hold `/`, `?` or `#`. A user named `new` is linked as `%6Eew`: the router matches literal
 * segments before decoding, so that reaches the user and not the create form at `/users/new`.
 */
export function usersRoute(poolId: string, username?: string, action?: string): string {
  let path = `/pools/${seg(poolId)}/users`;
  if (username !== undefined) path += `/${username === 'new' ? '%6Eew' : seg(username)}`;
  if (action !== undefined) path += `/${action}`;
  return path;
}

/** A time the store keeps in epoch ms. */
export function when(ms: number | null | undefined): SafeHtml | '' {
  return ms === null || ms === undefined ? '' : dateTime(ms / 1000);
}

export interface AttributeType {
  Name: string;
  Value?: string;
}

export function attributeMap(list: unknown): Map<string, string> {
  const map = new Map<string, string>();
  for (const a of Array.isArray(list) ? (list as AttributeType[]) : []) map.set(a.Name, a.Value ?? '');
  return map;
}

/** A contact value with its verified mark, in words and not colour alone. */
export function contact(attributes: ReadonlyMap<string, string>, name: 'email' | 'phone_number'): SafeHtml | '' {
  const value = attributes.get(name);
  if (value === undefined) return '';
  const verified = attributes.get(`${name}_verified`) === 'true';
  return html`${value} ${verified ? html`<span class="badge badge-ok">✓ verified</span>` : html`<span class="badge badge-plain">unverified</span>`}`;
}

export function enabledBadge(enabled: unknown): SafeHtml {
  return statusBadge(enabled === false ? 'DISABLED' : 'ENABLED');
}
