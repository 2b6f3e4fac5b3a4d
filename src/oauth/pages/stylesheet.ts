/**
 * @module GET /static/style.css: the pages' only styles (the CSP allows no inline style). Small,
 * readable and responsive: one centred card, full width on a phone, large touch targets, and a
 * focus ring on everything that can be reached by keyboard. The pool's two branding colours are
 * CSS variables at the top; they are checked colour literals, never free text.
 */
import type { Services } from '../../operations/services.ts';
import type { Endpoint } from '../endpoint.ts';
import { sendNotFound } from '../oauth-io.ts';
import { poolBranding } from './branding.ts';

const RULES = `
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0; min-height: 100vh; background: var(--background); color: var(--text);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { display: flex; justify-content: center; padding: 2rem 1rem; }
.card { width: 100%; max-width: 26rem; background: #fff; border-radius: 0.5rem; padding: 1.5rem;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.15); }
.logo { display: block; max-width: 10rem; max-height: 4rem; margin: 0 auto 1rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; }
p { margin: 0 0 1rem; }
form { margin: 0 0 1rem; }
.field { margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin: 0 0 0.25rem; }
input { display: block; width: 100%; font: inherit; padding: 0.625rem 0.75rem; min-height: 2.75rem;
  border: 1px solid var(--border); border-radius: 0.375rem; background: #fff; color: var(--text); }
input[aria-invalid="true"] { border-color: var(--error); }
button { display: block; width: 100%; font: inherit; font-weight: 600; min-height: 2.75rem; padding: 0.625rem 1rem;
  border: 0; border-radius: 0.375rem; background: var(--primary); color: #fff; cursor: pointer; }
button.secondary { background: transparent; color: var(--primary); border: 1px solid var(--primary); }
a { color: var(--primary); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
input:focus { outline: 3px solid var(--focus); outline-offset: 1px; }
.alert { margin: 0 0 1rem; padding: 0.75rem; border-radius: 0.375rem; border: 1px solid var(--error);
  background: #fdf2f2; color: var(--error); }
.note { color: var(--muted); }
.links { margin: 1rem 0 0; padding: 0; list-style: none; }
.links li { margin: 0.5rem 0; }
.hint { font-size: 0.875rem; color: var(--muted); margin: 0.25rem 0 0; }
@media (max-width: 30rem) {
  main { padding: 0; }
  .card { max-width: none; min-height: 100vh; border-radius: 0; box-shadow: none; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;

export function stylesheet(primary = '#1f5fbf', background = '#f3f4f6'): string {
  return `:root { --primary: ${primary}; --background: ${background}; --focus: ${primary}; --text: #1a1a1a; --muted: #555; --border: #8a8f98; --error: #b3261e; }\n${RULES.trimStart()}`;
}

export function stylesheetEndpoint(s: Services): Endpoint {
  return async (req, res, at) => {
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendNotFound(res);
    const branding = poolBranding(await s.store.getUserPool(at.domain.poolId));
    const text = stylesheet(branding.primaryColor, branding.backgroundColor);
    res.writeHead(200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'X-Content-Type-Options': 'nosniff',
      // Short: a branding change shows within minutes.
      'Cache-Control': 'public, max-age=300',
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
}
