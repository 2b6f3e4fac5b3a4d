/**
 * @module `/static/live.js`, the console's live view in the browser: a small script, no framework,
 * loaded deferred. On a page with `[data-live]` regions it listens to `/events` and, on an event
 * of a region's kind (`outbox`, or `users` for the pools named in `data-pool`), fetches the page
 * again and swaps in each region by its id, so codes appear as an app signs users up. Pages work
 * without it; it needs only what the CSP allows (`script-src 'self'`, `connect-src 'self'`).
 */
import type { ServerResponse } from 'node:http';
import { securityHeaders } from '../web/page-io.ts';
import { CONSOLE_CSP } from './kit/index.ts';

const SCRIPT = `'use strict';
(function () {
  var script = document.currentScript;
  function regions() { return Array.prototype.slice.call(document.querySelectorAll('[data-live][id]')); }
  if (!script || !window.EventSource || !window.fetch || !window.DOMParser || regions().length === 0) return;
  var base = new URL(script.src).pathname.replace(/\\/static\\/live\\.js$/, '');
  var kinds = {}, pools = {};
  regions().forEach(function (r) { kinds[r.dataset.live] = true; if (r.dataset.pool) pools[r.dataset.pool] = true; });
  var query = new URLSearchParams();
  Object.keys(pools).forEach(function (p) { query.append('pool', p); });
  var source = new EventSource(base + '/events' + (query.toString() ? '?' + query.toString() : ''));
  var timer = null, busy = false, again = false;
  function editing(region) {
    var active = document.activeElement;
    return !!active && region.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
  }
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (text) {
        if (text === null) return;
        var doc = new DOMParser().parseFromString(text, 'text/html');
        regions().forEach(function (region) {
          var fresh = doc.getElementById(region.id);
          if (fresh && fresh.innerHTML !== region.innerHTML && !editing(region)) region.replaceWith(document.importNode(fresh, true));
        });
        document.documentElement.setAttribute('data-live-updated', String(Date.now()));
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; schedule(); }
      });
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(refresh, 200); }
  Object.keys(kinds).forEach(function (kind) { source.addEventListener(kind, schedule); });
  source.addEventListener('open', function () { document.documentElement.setAttribute('data-live', 'on'); });
})();
`;

export function sendLiveScript(res: ServerResponse): void {
  res.writeHead(200, {
    ...securityHeaders(CONSOLE_CSP),
    'Content-Type': 'text/javascript; charset=utf-8',
    'Content-Length': Buffer.byteLength(SCRIPT),
  });
  res.end(SCRIPT);
}
