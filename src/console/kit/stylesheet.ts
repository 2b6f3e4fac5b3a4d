/**
 * @module The console's one stylesheet, served from /static/console.css (the CSP allows no inline
 * style). A single column on a phone; on a laptop the tables get room and the header one line.
 */
import type { ServerResponse } from 'node:http';

const CSS = `:root{color-scheme:light;--ink:#16191f;--muted:#5f6b7a;--line:#d5dbdb;--bg:#f2f3f3;--card:#fff;--accent:#0972d3;--danger:#d91515;--ok:#037f0c;--warn:#8d6605}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #539fe5;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:0;z-index:2}
header{background:#232f3e;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1.5rem}
header .brand{font-weight:700;color:#fff;text-decoration:none}
header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0}
header nav a{color:#fff;text-decoration:none;padding:.25rem 0;display:inline-block}
header nav a[aria-current=page]{border-bottom:3px solid #ff9900}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
section>h2:first-child{margin-top:0}
.crumbs{font-size:.9rem;color:var(--muted);margin:0;overflow-wrap:anywhere}
section,.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.table-wrap{overflow-x:auto;position:relative}
table{border-collapse:collapse;width:100%;background:var(--card)}
caption{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
th{font-size:.85rem;color:var(--muted);font-weight:600}
dl{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:.25rem 1rem;margin:0}
dt{color:var(--muted);font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;overflow-wrap:anywhere}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.8rem;font-weight:600;border:1px solid currentColor}
.badge-ok{color:var(--ok)}.badge-warn{color:var(--warn)}.badge-bad{color:var(--danger)}.badge-plain{color:var(--muted)}
.notice{border-left:4px solid var(--ok);background:#f2fcf3;padding:.75rem 1rem;margin:0 0 1rem}
.alert{border-left:4px solid var(--danger);background:#fff7f7;padding:.75rem 1rem;margin:0 0 1rem}
.secret-once{border:2px solid var(--warn);background:#fffce6;padding:1rem;margin:0 0 1rem}
.secret-once code{display:block;margin:.5rem 0;font-size:1rem;user-select:all}
form.action{display:inline-block;margin:.25rem .5rem .25rem 0}
.field{margin:0 0 .75rem}
.field label{display:block;font-weight:600;margin-bottom:.25rem}
.field input,.field select{font:inherit;padding:.4rem .5rem;border:1px solid #7d8998;border-radius:.25rem;width:100%;max-width:28rem}
.hint{color:var(--muted);font-size:.85rem;margin:.25rem 0 0}
button{font:inherit;padding:.4rem 1rem;border-radius:1rem;border:2px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;min-height:2.5rem}
button.danger{border-color:var(--danger);background:#fff;color:var(--danger)}
.pager{display:flex;gap:1rem;margin:1rem 0}
.muted{color:var(--muted)}
@media (max-width:40rem){
 main{padding:.5rem}
 dl{grid-template-columns:1fr}
 dd{margin-bottom:.5rem}
 table.stack thead{position:absolute;left:-999px}
 table.stack tr{display:block;border-bottom:1px solid var(--line);padding:.5rem 0}
 table.stack td{display:block;border:0;padding:.1rem .5rem}
 table.stack td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-weight:600}
}
`;

export function sendConsoleStylesheet(res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/css; charset=utf-8',
    'Content-Length': Buffer.byteLength(CSS),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'public, max-age=300',
  });
  res.end(CSS);
}
