/** @module Translates the java.util.regex patterns of the AWS model into equivalent JavaScript `u`-mode regular expressions */

/**
 * Java's \s (without UNICODE_CHARACTER_CLASS) is ASCII-only, whereas JavaScript's \s also
 * matches NBSP, U+2028, BOM and friends; spelling the set out keeps Cognito's semantics.
 */
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
/** Java's `.` without DOTALL also refuses U+0085, which JavaScript's `.` accepts. */
const JAVA_DOT = '[^\\n\\r\\u0085\\u2028\\u2029]';
const SYNTAX_OUTSIDE_CLASS = new Set('^$\\.*+?()[]{}|/'.split(''));
const SYNTAX_INSIDE_CLASS = new Set('\\]^-[/'.split(''));

export interface TranslatedRegex {
  /** Body without anchors; callers wrap it to force a whole-string match. */
  readonly source: string;
  /** Human-readable notes on every rewrite that changed the text, for the generation report. */
  readonly notes: readonly string[];
}

class RegexTranslationError extends Error {
  constructor(pattern: string, at: number, why: string) {
    super(`cannot translate Java pattern ${JSON.stringify(pattern)} at offset ${at}: ${why}`);
  }
}

function hex(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0').toUpperCase()}` : `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`;
}

function literal(ch: string, inClass: boolean): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return hex(code);
  const special = inClass ? SYNTAX_INSIDE_CLASS : SYNTAX_OUTSIDE_CLASS;
  return special.has(ch) ? `\\${ch}` : ch;
}

/** One element of a character class after translation. */
type ClassItem = { kind: 'text'; text: string } | { kind: 'notSpace' };

export function translateJavaRegex(pattern: string): TranslatedRegex {
  const notes = new Set<string>();
  let i = 0;
  let dotAll = false;
  const fail = (why: string): never => {
    throw new RegexTranslationError(pattern, i, why);
  };

  if (pattern.startsWith('(?s)')) {
    dotAll = true;
    i = 4;
    notes.add('inline (?s) flag: `.` rewritten to match every character');
  }

  /** Reads the character (or escape) that follows a backslash; returns its literal value or a class shorthand. */
  const readEscape = (inClass: boolean): { char?: string; text?: string; notSpace?: true } => {
    const c = pattern[i];
    if (c === undefined) return fail('dangling backslash');
    i++;
    switch (c) {
      case 'd': case 'D': case 'w': case 'W':
        // ASCII-only in Java by default, and in JavaScript `u` mode without the `i` flag: identical.
        return { text: `\\${c}` };
      case 's':
        notes.add('\\s rewritten to Java\'s ASCII whitespace set');
        return { text: inClass ? JAVA_SPACE : `[${JAVA_SPACE}]` };
      case 'S':
        notes.add('\\S rewritten to the complement of Java\'s ASCII whitespace set');
        return inClass ? { notSpace: true } : { text: `[^${JAVA_SPACE}]` };
      case 'p': case 'P': {
        const m = /^\{([A-Z][a-z]?)\}/.exec(pattern.slice(i));
        // Java also accepts \pL, \p{IsLatin}, \p{Lower} (POSIX, ASCII-only)...; none has a safe 1:1 mapping.
        if (!m) return fail('only \\p{X} with a Unicode general category is supported');
        try {
          new RegExp(`\\p{${m[1]}}`, 'u');
        } catch {
          return fail(`unknown general category ${m[1]}`);
        }
        i += m[0].length;
        return { text: `\\${c}{${m[1]}}` };
      }
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(pattern.slice(i));
        if (!m) return fail('\\x needs two hex digits');
        i += 2;
        return { char: String.fromCharCode(parseInt(m[0], 16)) };
      }
      case 'u': {
        const m = /^[0-9a-fA-F]{4}/.exec(pattern.slice(i));
        if (!m) return fail('\\u needs four hex digits');
        i += 4;
        return { char: String.fromCharCode(parseInt(m[0], 16)) };
      }
      case 't': return { char: '\t' };
      case 'n': return { char: '\n' };
      case 'r': return { char: '\r' };
      case 'f': return { char: '\f' };
      case 'a': return { char: '\x07' };
      case 'e': return { char: '\x1b' };
      case 'b': case 'B':
        if (inClass) return fail('\\b inside a character class');
        return { text: `\\${c}` };
      default:
        if (/[A-Za-z0-9]/.test(c)) return fail(`unsupported escape \\${c}`);
        return { char: c };
    }
  };

  const readClass = (): string => {
    // pattern[i] is the opening bracket.
    const start = i;
    i++;
    let negated = false;
    if (pattern[i] === '^') {
      negated = true;
      i++;
    }
    if (pattern[i] === ']') fail('leading ] in a character class is ambiguous');
    const items: ClassItem[] = [];
    const readAtom = (): { char?: string; text?: string; notSpace?: true } => {
      const c = pattern[i];
      if (c === undefined) return fail(`unterminated character class opened at ${start}`);
      if (c === '[') return fail('nested character classes (Java union) are not supported');
      if (c === '&' && pattern[i + 1] === '&') return fail('class intersection (&&) is not supported');
      if (c === '\\') {
        i++;
        return readEscape(true);
      }
      i++;
      return { char: c };
    };
    while (pattern[i] !== ']') {
      const atom = readAtom();
      if (atom.notSpace) {
        items.push({ kind: 'notSpace' });
        continue;
      }
      if (atom.char === undefined) {
        items.push({ kind: 'text', text: atom.text ?? '' });
        continue;
      }
      // Java reads `x-y` as a range unless the dash is last; a dash after a range is a literal.
      if (pattern[i] === '-' && pattern[i + 1] !== ']' && pattern[i + 1] !== undefined) {
        i++;
        const end = readAtom();
        if (end.char === undefined) return fail('range ends in a class shorthand');
        if ((end.char.codePointAt(0) ?? 0) < (atom.char.codePointAt(0) ?? 0)) return fail('illegal character range');
        items.push({ kind: 'text', text: `${literal(atom.char, true)}-${literal(end.char, true)}` });
        continue;
      }
      if (atom.char === '-') notes.add('literal - inside a class escaped');
      items.push({ kind: 'text', text: literal(atom.char, true) });
    }
    i++;
    const positive = items.flatMap((it) => (it.kind === 'text' ? [it.text] : [])).join('');
    const hasNotSpace = items.some((it) => it.kind === 'notSpace');
    if (!hasNotSpace) return `[${negated ? '^' : ''}${positive}]`;
    if (negated) return fail('\\S inside a negated class is not supported');
    const notSpace = `[^${JAVA_SPACE}]`;
    return positive === '' ? notSpace : `(?:${notSpace}|[${positive}])`;
  };

  let out = '';
  let depth = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      i++;
      if (pattern[i] === 'Q') {
        i++;
        const end = pattern.indexOf('\\E', i);
        const quoted = end < 0 ? pattern.slice(i) : pattern.slice(i, end);
        out += [...quoted].map((ch) => literal(ch, false)).join('');
        i = end < 0 ? pattern.length : end + 2;
        notes.add('\\Q...\\E quoting expanded');
        continue;
      }
      const e = readEscape(false);
      out += e.char !== undefined ? literal(e.char, false) : (e.text ?? '');
      continue;
    }
    if (c === '[') {
      out += readClass();
      continue;
    }
    if (c === '(') {
      i++;
      depth++;
      if (pattern[i] !== '?') {
        out += '(';
        continue;
      }
      const m = /^\?(?::|=|!|<=|<!)/.exec(pattern.slice(i));
      if (!m) return fail('only (?:, (?=, (?!, (?<= and (?<! groups are supported (inline flags only as a leading (?s))');
      out += `(${m[0]}`;
      i += m[0].length;
      continue;
    }
    if (c === ')') {
      if (depth === 0) fail('unbalanced )');
      depth--;
      out += ')';
      i++;
      continue;
    }
    if (c === '.') {
      out += dotAll ? '[\\s\\S]' : JAVA_DOT;
      if (!dotAll) notes.add('`.` rewritten to exclude U+0085 like Java');
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let q = c;
      i++;
      if (c === '{') {
        const m = /^(\d+)(,(\d+)?)?\}/.exec(pattern.slice(i));
        if (!m) return fail('malformed {n,m} quantifier');
        q += m[0];
        i += m[0].length;
      }
      if (pattern[i] === '+') fail('possessive quantifiers have no JavaScript equivalent');
      if (pattern[i] === '?') {
        q += '?';
        i++;
      }
      out += q;
      continue;
    }
    if (c === '^' || c === '$' || c === '|') {
      out += c;
      i++;
      continue;
    }
    out += literal(c, false);
    i += c.length;
  }
  if (depth !== 0) fail('unbalanced (');
  return { source: out, notes: [...notes] };
}

/** Wraps a translated body for a whole-string match and proves it compiles, so the generator fails before emitting code. */
export function compileJavaRegex(pattern: string): { literal: string; regex: RegExp; notes: readonly string[] } {
  const t = translateJavaRegex(pattern);
  const body = `^(?:${t.source})$`;
  let regex: RegExp;
  try {
    regex = new RegExp(body, 'u');
  } catch (err) {
    throw new Error(`translated pattern ${JSON.stringify(pattern)} -> /${body}/u does not compile: ${(err as Error).message}`);
  }
  return { literal: `/${body}/u`, regex, notes: t.notes };
}
