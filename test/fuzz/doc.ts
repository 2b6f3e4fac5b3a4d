/** @module Request bodies as JSON text to be: symbolic documents, their rendering with live ids, and single-point mutations of them. */

/** Live ids the server made for the suite; requests carry these names and get the values only when sent. */
export type RefKind = 'poolId' | 'clientId' | 'username' | 'secretId' | 'secretHash' | 'code' | 'groupName' | 'domain';

/**
 * A JSON document as text to be: keeping it symbolic lets one request stand for a megabyte string
 * or a 100,000-level nesting without holding either in memory until it is sent, and lets it say
 * things a JS value cannot (duplicate keys, numbers JSON.parse turns into Infinity).
 */
export type Doc =
  | { k: 'lit'; text: string }
  | { k: 'str'; value: string }
  | { k: 'long'; unit: string; count: number }
  | { k: 'obj'; entries: readonly (readonly [string, Doc])[] }
  | { k: 'arr'; items: readonly Doc[] }
  | { k: 'many'; item: Doc; count: number }
  | { k: 'wide'; count: number }
  | { k: 'deep'; depth: number; object: boolean }
  | { k: 'ref'; ref: RefKind; slot?: number };

export type Body = { k: 'json'; doc: Doc } | { k: 'cut'; doc: Doc; keep: number } | { k: 'text'; text: string } | { k: 'bytes'; bytes: readonly number[] };

export interface FuzzRequest {
  operation: string;
  target: string;
  contentType: string | undefined;
  /** Which fixture slot `ref`s without an explicit slot read from, so one request names a matching pool, client and user. */
  slot: number;
  /** 0–99: where destructive requests aim (see Fixtures.resolverFor), drawn with the rest so a replay aims the same way. */
  aim: number;
  body: Body;
}

/** `slot` is the request's own slot; a ref naming another one makes mismatched pairs on purpose. */
export type Resolve = (ref: RefKind, slot: number) => string;

export function renderDoc(doc: Doc, resolve: Resolve, slot: number): string {
  switch (doc.k) {
    case 'lit': return doc.text;
    case 'str': return JSON.stringify(doc.value);
    case 'long': return JSON.stringify(doc.unit.repeat(doc.count));
    case 'obj': return `{${doc.entries.map(([key, value]) => `${JSON.stringify(key)}:${renderDoc(value, resolve, slot)}`).join(',')}}`;
    case 'arr': return `[${doc.items.map((item) => renderDoc(item, resolve, slot)).join(',')}]`;
    case 'many': {
      const item = renderDoc(doc.item, resolve, slot);
      return `[${Array.from({ length: doc.count }, () => item).join(',')}]`;
    }
    case 'wide': return `{${Array.from({ length: doc.count }, (_, i) => `"k${i}":${i}`).join(',')}}`;
    case 'deep': return doc.object ? `${'{"a":'.repeat(doc.depth)}1${'}'.repeat(doc.depth)}` : `${'['.repeat(doc.depth)}${']'.repeat(doc.depth)}`;
    case 'ref': return JSON.stringify(resolve(doc.ref, doc.slot ?? slot));
  }
}

export function renderBody(body: Body, resolve: Resolve, slot: number): Buffer {
  switch (body.k) {
    case 'json': return Buffer.from(renderDoc(body.doc, resolve, slot), 'utf8');
    case 'cut': {
      const text = renderDoc(body.doc, resolve, slot);
      return Buffer.from(text.slice(0, Math.floor(text.length * body.keep)), 'utf8');
    }
    case 'text': return Buffer.from(body.text, 'utf8');
    case 'bytes': return Buffer.from(body.bytes);
  }
}

export const lit = (text: string): Doc => ({ k: 'lit', text });
export const str = (value: string): Doc => ({ k: 'str', value });
export const NULL = lit('null');

/** How many member values and list items a document has, nested ones included: the places `mutateAt` can reach. */
export function places(doc: Doc): number {
  if (doc.k === 'obj') return doc.entries.reduce((n, [, v]) => n + 1 + places(v), 0);
  if (doc.k === 'arr') return doc.items.reduce((n, v) => n + 1 + places(v), 0);
  return 0;
}

export type Mutation = { kind: 'replace'; value: Doc } | { kind: 'drop' } | { kind: 'sibling'; key: string; value: Doc };

/**
 * The document with one member value or list item (numbered depth-first) replaced, dropped, or
 * given a sibling: an unknown member beside a member, one more item beside a list item.
 */
export function mutateAt(doc: Doc, target: number, m: Mutation): Doc {
  let n = target;
  const walk = (d: Doc): Doc => {
    if (d.k !== 'obj' && d.k !== 'arr') return d;
    const pairs: (readonly [string, Doc])[] = d.k === 'obj' ? [...d.entries] : d.items.map((v) => ['', v] as const);
    const out: (readonly [string, Doc])[] = [];
    for (const [key, value] of pairs) {
      if (n-- === 0) {
        if (m.kind === 'replace') out.push([key, m.value]);
        else if (m.kind === 'sibling') out.push([key, value], [m.key, m.value]);
        continue;
      }
      out.push([key, n < 0 ? value : walk(value)]);
    }
    return d.k === 'obj' ? { k: 'obj', entries: out } : { k: 'arr', items: out.map(([, v]) => v) };
  };
  return walk(doc);
}
