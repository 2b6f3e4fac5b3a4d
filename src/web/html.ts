/**
 * @module HTML that escapes by default, for the hosted pages and the console: the `html` tagged
 * template escapes every interpolated value unless it is itself the output of `html`, so a
 * user-supplied `state`, username, attribute or error text can never become markup (cognito-local
 * interpolates them raw, OML §12). There is no raw-string escape hatch: markup comes only from
 * `html` templates.
 */

/** Held by this module alone: without it no fragment can be made from a plain string. */
const MINT = Symbol('html');

/** A fragment produced by `html`; the only thing that is written to a page unescaped. */
export class SafeHtml {
  readonly #text: string;
  constructor(mint: symbol, text: string) {
    if (mint !== MINT) throw new TypeError('SafeHtml comes only from the html template');
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes for text and for quoted attribute values alike (every attribute here is quoted). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/gu, (c) => ENTITIES[c]!);
}

type Interpolated = SafeHtml | string | number | boolean | null | undefined | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) text += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(MINT, text);
}
