/** @module Transports from configuration: SMTP for email when a URL is set; SMS per the `sms` setting. */
import type { ServerConfig } from '../config/config.ts';
import type { Senders } from './senders.ts';
import { SmtpSender } from './smtp-sender.ts';

export function createSenders(config: Pick<ServerConfig, 'smtpUrl' | 'sms'>): Senders {
  return {
    ...(config.smtpUrl ? { EMAIL: new SmtpSender(config.smtpUrl) } : {}),
  };
}
