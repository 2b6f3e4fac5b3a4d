/**
 * @module The pool's branding for the hosted pages: a logo and two colours, nothing more (OML §5.4:
 * no visual parity goal). It lives in the pool's own tags, so it is set with CreateUserPool or
 * UpdateUserPool (`UserPoolTags`) from any AWS client, or in the config file's pool `settings`:
 *
 *   userpool:branding:logo              an https URL, or a data:image/… URL (a tag holds 256 characters)
 *   userpool:branding:primary-color     #rgb or #rrggbb: buttons, links, focus ring
 *   userpool:branding:background-color  #rgb or #rrggbb: the page behind the card
 *
 * Values that do not fit these forms are ignored, so a tag can never inject CSS or markup.
 */
import type { PoolRecord } from '../../domain/records.ts';

export interface Branding {
  logo?: string;
  /** Set when the logo is on another origin: the page's img-src must name it. */
  logoOrigin?: string;
  primaryColor?: string;
  backgroundColor?: string;
}

const TAG = 'userpool:branding:';
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/u;
const DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp|svg\+xml)(?:;[A-Za-z0-9=-]+)*,\S*$/u;

export function poolBranding(pool: PoolRecord | undefined): Branding {
  const tags = (pool?.settings.UserPoolTags as Record<string, unknown> | undefined) ?? {};
  const tag = (name: string) => (typeof tags[TAG + name] === 'string' ? (tags[TAG + name] as string).trim() : undefined);
  const branding: Branding = {};
  const primary = tag('primary-color');
  const background = tag('background-color');
  if (primary && COLOR.test(primary)) branding.primaryColor = primary;
  if (background && COLOR.test(background)) branding.backgroundColor = background;
  const logo = tag('logo');
  if (logo && DATA_IMAGE.test(logo)) branding.logo = logo;
  else if (logo) {
    try {
      const url = new URL(logo);
      if (url.protocol === 'https:') Object.assign(branding, { logo: url.href, logoOrigin: url.origin });
    } catch {
      // Not a URL: no logo.
    }
  }
  return branding;
}
