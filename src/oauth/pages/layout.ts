/** @module The one layout of the hosted pages: language, title, the stylesheet, `<main>` and the pool's logo. */
import type { Branding } from './branding.ts';
import { html, type SafeHtml } from '../../web/html.ts';

export interface LayoutInput {
  title: string;
  /** The domain's base path, for the stylesheet link (`''` on a domain host). */
  base: string;
  body: SafeHtml;
  branding?: Branding;
  lang?: string;
}

export function layout(input: LayoutInput): SafeHtml {
  const logo = input.branding?.logo ? html`<img class="logo" src="${input.branding.logo}" alt="">` : undefined;
  return html`<!doctype html>
<html lang="${input.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title}</title>
<link rel="stylesheet" href="${input.base}/static/style.css">
</head>
<body>
<main>
<div class="card">
${logo}${input.body}
</div>
</main>
</body>
</html>
`;
}
