/** @module AdminEnableUser. */
import type { Services } from './services.ts';
import { setUserEnabled } from './shared/set-enabled.ts';

export const adminEnableUser = (s: Pick<Services, 'store' | 'gate'>) => setUserEnabled(s, true);
