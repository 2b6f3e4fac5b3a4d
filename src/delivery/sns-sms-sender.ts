/** @module SMS through Amazon SNS `Publish` to a phone number, against AWS or an SNS-compatible endpoint. */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { OutboxRow } from '../domain/records.ts';
import { awsClientOptions } from './aws-client-options.ts';
import type { MessagePayload } from './payload.ts';
import { PermanentDeliveryError, type MessageSender } from './senders.ts';

const TIMEOUT_MS = 10_000;

/** SNS errors (as the SDK names them) that say this message can never be sent, e.g. a number SNS cannot route. */
const PERMANENT = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'ValidationException']);

type Sdk = typeof import('@aws-sdk/client-sns');

export class SnsSmsSender implements MessageSender {
  #sdk?: Promise<{ client: SNSClient; PublishCommand: Sdk['PublishCommand'] }>;

  constructor(readonly options: { endpoint?: string; region: string }) {}

  /** Loaded on first use, so a server that never sends SMS does not pay for the SDK at start-up. */
  #load() {
    return (this.#sdk ??= import('@aws-sdk/client-sns').then((sdk) => ({
      // The dispatcher retries with backoff and records each attempt; SDK retries would hide them.
      client: new sdk.SNSClient({ ...awsClientOptions(this.options.endpoint, this.options.region), maxAttempts: 1 }),
      PublishCommand: sdk.PublishCommand,
    })));
  }

  async send(message: OutboxRow, payload: MessagePayload): Promise<void> {
    const { client, PublishCommand } = await this.#load();
    try {
      await client.send(
        new PublishCommand({
          PhoneNumber: message.destination,
          Message: payload.body,
          // Verification codes are time-critical: SNS routes Transactional messages for delivery, not cost.
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
        { abortSignal: AbortSignal.timeout(TIMEOUT_MS) },
      );
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (PERMANENT.has(name)) throw new PermanentDeliveryError(`SNS ${name}: ${(error as Error).message}`);
      throw new Error(`SNS ${name || 'error'}: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    if (this.#sdk) (await this.#sdk).client.destroy();
  }
}
