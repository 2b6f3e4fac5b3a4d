/**
 * @module Form parts every page shares (OML §5.5): an input always has its `<label for>`, an error
 * is an element with `role="alert"` that the field it concerns names in `aria-describedby`, and
 * each form carries the CSRF field. Nothing here sets a tabindex: document order is the tab order.
 */
import { CSRF_FIELD } from './csrf.ts';
import { html, type SafeHtml } from '../../web/html.ts';

export const ALERT_ID = 'form-error';

export interface FieldInput {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'email' | 'tel' | 'url' | 'date';
  autocomplete?: string;
  inputmode?: 'numeric' | 'email' | 'tel';
  value?: string;
  required?: boolean;
  /** True on the field the page's error is about: it points at the alert. */
  invalid?: boolean;
  hint?: string;
}

export function field(input: FieldInput): SafeHtml {
  const id = `field-${input.name.replace(/[^A-Za-z0-9_-]/gu, '-')}`;
  const hintId = input.hint ? `${id}-hint` : undefined;
  const described = [input.invalid ? ALERT_ID : undefined, hintId].filter(Boolean).join(' ');
  return html`<div class="field">
<label for="${id}">${input.label}</label>
<input id="${id}" name="${input.name}" type="${input.type ?? 'text'}"${attr('autocomplete', input.autocomplete)}${attr('inputmode', input.inputmode)}${attr('value', input.type === 'password' ? undefined : input.value)}${input.required === false ? '' : html` required`}${input.invalid ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}${literal(input) ? html` autocapitalize="none" spellcheck="false"` : ''}>
${hintId ? html`<p class="hint" id="${hintId}">${input.hint}</p>` : ''}</div>
`;
}

/** Names, codes and addresses are typed as they are: no capitalising, no spelling fixes. */
function literal(input: FieldInput): boolean {
  return (input.type ?? 'text') !== 'text' || input.autocomplete === 'username' || input.inputmode === 'numeric';
}

function attr(name: string, value: string | undefined): SafeHtml | '' {
  return value === undefined || value === '' ? '' : html` ${name}="${value}"`;
}

export function hidden(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

export function alert(message: string | undefined): SafeHtml | '' {
  return message ? html`<div class="alert" id="${ALERT_ID}" role="alert">${message}</div>\n` : '';
}

/** A plain POST form that works without JavaScript, with the CSRF field first. */
export function form(action: string, csrf: string, parts: readonly SafeHtml[], button: string, buttonClass?: string): SafeHtml {
  return html`<form method="post" action="${action}" novalidate>
${hidden(CSRF_FIELD, csrf)}
${parts}<button type="submit"${buttonClass ? html` class="${buttonClass}"` : ''}>${button}</button>
</form>
`;
}
