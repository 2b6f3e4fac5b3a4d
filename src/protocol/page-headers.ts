/** @module Headers for the HTML pages the server renders: nothing loads, nothing frames them, nothing caches them. */

/**
 * The pages carry confirmation results and, in links, usernames and codes: they must not be framed
 * (clickjacking), sniffed into another type, kept in a shared cache, or leak their URL as a Referer.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};
