/** @module The ListUsers filter language: `name = "value"` or `name ^= "value"` over a fixed set of attributes. */
import { errors } from './messages.ts';
import type { UserFilter } from '../store/store.ts';

const SEARCHABLE = new Set([
  'username', 'email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username', 'cognito:user_status', 'status', 'sub',
]);
const FORM = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/u;

export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const match = FORM.exec(filter);
  if (!match) throw errors.invalidParameter('Error while parsing filter.');
  const [, attribute = '', operator, value = ''] = match;
  if (!SEARCHABLE.has(attribute)) throw errors.invalidParameter(`Invalid search attribute: ${attribute}`);
  return { attribute, value: value.replace(/\\(.)/gu, '$1'), prefix: operator === '^=' };
}
