/**
 * @module The console's forms: every action is a plain POST form (it works without JavaScript)
 * carrying the hidden `_csrf` the router checks; every input has its label; an error is shown in
 * an element with `role="alert"`.
 */
import { html, type SafeHtml } from '../../web/html.ts';
import { CSRF_FIELD } from '../../web/csrf.ts';
import type { ConsoleRequest } from '../console-types.ts';

export interface ActionForm {
  /** The path inside the console the form posts to, e.g. `/pools/<id>/users/<name>/disable` (encode the parts). */
  action: string;
  label: string;
  fields?: SafeHtml;
  /** Drawn as a destructive button. */
  danger?: boolean;
  /** A sentence saying what the action does, shown beside the button and tied to it for screen readers. */
  confirm?: string;
}

export function actionForm(at: Pick<ConsoleRequest, 'base' | 'csrf'>, form: ActionForm): SafeHtml {
  const hintId = form.confirm ? `hint${form.action.replace(/[^A-Za-z0-9_-]/gu, '-')}` : undefined;
  return html`<form class="action" method="post" action="${at.base}${form.action}">
<input type="hidden" name="${CSRF_FIELD}" value="${at.csrf}">
${form.fields ?? ''}${form.confirm ? html`<p class="hint" id="${hintId}">${form.confirm}</p>\n` : ''}<button type="submit"${form.danger ? html` class="danger"` : ''}${hintId ? html` aria-describedby="${hintId}"` : ''}>${form.label}</button>
</form>
`;
}

export interface TextField {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'email' | 'tel' | 'password' | 'search' | 'number';
  hint?: string;
  required?: boolean;
  autocomplete?: string;
}

/** A labelled input; ids derive from the name, so a page uses a name once. */
export function textField(f: TextField): SafeHtml {
  const id = `field-${f.name.replace(/[^A-Za-z0-9_-]/gu, '-')}`;
  const hintId = f.hint ? `${id}-hint` : undefined;
  return html`<div class="field">
<label for="${id}">${f.label}</label>
<input id="${id}" name="${f.name}" type="${f.type ?? 'text'}"${f.value !== undefined && f.type !== 'password' ? html` value="${f.value}"` : ''}${f.required ? html` required` : ''}${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${hintId ? html` aria-describedby="${hintId}"` : ''} autocapitalize="none" spellcheck="false">
${hintId ? html`<p class="hint" id="${hintId}">${f.hint}</p>\n` : ''}</div>
`;
}

/** A GET form (search, filters): no CSRF, since it changes nothing. */
export function searchForm(at: Pick<ConsoleRequest, 'base'>, action: string, fields: SafeHtml, label = 'Search'): SafeHtml {
  return html`<form method="get" action="${at.base}${action}" role="search">
${fields}<button type="submit">${label}</button>
</form>
`;
}

/** An operation's refusal, as the API worded it. */
export function errorAlert(error: { type: string; message: string } | undefined): SafeHtml | '' {
  return error ? html`<div class="alert" role="alert"><strong>${error.type}</strong>: ${error.message}</div>\n` : '';
}
