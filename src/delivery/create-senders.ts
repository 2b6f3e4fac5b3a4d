/** @module Transports from configuration: SMTP for email when a URL is set; SMS per the `sms` setting. */
import { ConfigError, type ServerConfig } from '../config/config.ts';
import type { MessageSender, Senders } from './senders.ts';
import { SmtpSender } from './smtp-sender.ts';
import { SnsSmsSender } from './sns-sms-sender.ts';
import { WebhookSmsSender } from './webhook-sms-sender.ts';
import { signingKey } from './webhook-signature.ts';

export function createSenders(config: Pick<ServerConfig, 'smtpUrl' | 'sms' | 'region'>): Senders {
  const sms = smsSender(config);
  return {
    ...(config.smtpUrl ? { EMAIL: new SmtpSender(config.smtpUrl) } : {}),
    ...(sms ? { SMS: sms } : {}),
  };
}

/** `outbox` (the default) sends nothing: messages are kept for the control API to show. */
function smsSender(config: Pick<ServerConfig, 'sms' | 'region'>): MessageSender | undefined {
  const sms = config.sms ?? { sender: 'outbox' };
  switch (sms.sender) {
    case undefined:
    case 'outbox':
      return undefined;
    case 'webhook':
      if (!sms.url || !/^https?:\/\//u.test(sms.url)) throw new ConfigError('sms.url must be an http:// or https:// URL for the webhook sender');
      return new WebhookSmsSender(sms.url, sms.secret ? signingKey(sms.secret) : undefined);
    case 'sns':
      if (sms.endpoint !== undefined && !/^https?:\/\//u.test(sms.endpoint)) throw new ConfigError('sms.endpoint must be an http:// or https:// URL');
      return new SnsSmsSender({ endpoint: sms.endpoint, region: sms.region ?? config.region });
    default:
      throw new ConfigError(`sms.sender must be "outbox", "webhook" or "sns", got "${String((sms as { sender: unknown }).sender)}"`);
  }
}
