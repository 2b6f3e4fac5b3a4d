/** @module How a user attribute is asked for on a page: its readable label, input type and autocomplete token (OML §5.2, §5.5). */
import type { FieldInput } from './fields.ts';

const STANDARD: Readonly<Record<string, Omit<FieldInput, 'name'>>> = {
  email: { label: 'Email', type: 'email', autocomplete: 'email', inputmode: 'email' },
  phone_number: { label: 'Phone number', type: 'tel', autocomplete: 'tel', inputmode: 'tel', hint: 'In international format, e.g. +14325551212' },
  name: { label: 'Name', autocomplete: 'name' },
  given_name: { label: 'Given name', autocomplete: 'given-name' },
  family_name: { label: 'Family name', autocomplete: 'family-name' },
  middle_name: { label: 'Middle name', autocomplete: 'additional-name' },
  nickname: { label: 'Nickname', autocomplete: 'nickname' },
  preferred_username: { label: 'Preferred username', autocomplete: 'username' },
  profile: { label: 'Profile', type: 'url', autocomplete: 'url' },
  picture: { label: 'Picture', type: 'url', autocomplete: 'photo' },
  website: { label: 'Website', type: 'url', autocomplete: 'url' },
  gender: { label: 'Gender', autocomplete: 'sex' },
  birthdate: { label: 'Birthdate', autocomplete: 'bday', hint: 'As YYYY-MM-DD' },
  zoneinfo: { label: 'Time zone' },
  locale: { label: 'Locale', autocomplete: 'language' },
  address: { label: 'Address', autocomplete: 'street-address' },
  updated_at: { label: 'Updated at', inputmode: 'numeric' },
};

export function attributeField(name: string, value: string | undefined, invalid = false): FieldInput {
  const known = STANDARD[name];
  if (known) return { name, value, invalid, ...known };
  // custom:favourite_colour → "favourite colour"
  const readable = name.replace(/^custom:/u, '').replace(/_/gu, ' ');
  return { name, value, invalid, label: readable.charAt(0).toUpperCase() + readable.slice(1) };
}
