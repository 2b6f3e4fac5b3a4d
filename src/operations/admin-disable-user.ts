/** @module AdminDisableUser: a disabled user cannot confirm (spec §5.4) or sign in. */
import type { Services } from './services.ts';
import { setUserEnabled } from './shared/set-enabled.ts';

export const adminDisableUser = (s: Pick<Services, 'store' | 'gate'>) => setUserEnabled(s, false);
