/**
 * @module Runs a trigger through the AWS Lambda Invoke API (`RequestResponse`), against a real
 * Region or any Lambda-compatible endpoint, and sorts what comes back the way Cognito does (spec §6.5).
 */
import type { InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { awsClientOptions } from '../delivery/aws-client-options.ts';
import { errorMessageOf, parseOutput, transportFailure } from './failures.ts';
import type { InvokeOutcome, Invoker } from './invoker.ts';

/** Lambda errors that are about the moment, not the function: another attempt may succeed. */
const TRANSIENT = new Set([
  'TooManyRequestsException',
  'ServiceException',
  'ResourceNotReadyException',
  'EC2ThrottledException',
  'ENILimitReachedException',
  'SnapStartNotReadyException',
  'SnapStartTimeoutException',
]);

type Sdk = typeof import('@aws-sdk/client-lambda');

export class LambdaInvoker implements Invoker {
  #sdk?: Promise<{ client: LambdaClient; InvokeCommand: Sdk['InvokeCommand'] }>;

  constructor(readonly options: { endpoint?: string; region: string }) {}

  /** The SDK is loaded on first use, so servers without Lambda functions do not pay for it at start-up. */
  #load() {
    return (this.#sdk ??= import('@aws-sdk/client-lambda').then((sdk) => ({
      // One attempt per call: the runner owns the retry rule of spec §6.1, and SDK retries inside
      // each of its attempts would stretch the 5-second limit.
      client: new sdk.LambdaClient({ ...awsClientOptions(this.options.endpoint, this.options.region), maxAttempts: 1 }),
      InvokeCommand: sdk.InvokeCommand,
    })));
  }

  async invoke(functionArn: string, event: unknown, timeoutMs: number): Promise<InvokeOutcome> {
    const { client, InvokeCommand } = await this.#load();
    const signal = AbortSignal.timeout(timeoutMs);
    let output: InvokeCommandOutput;
    try {
      output = await client.send(
        new InvokeCommand({ FunctionName: functionArn, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(event)) }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (signal.aborted) return transportFailure(signal.reason);
      return serviceFailure(error) ?? transportFailure(error);
    }
    const text = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
    if (output.FunctionError) return { kind: 'function-error', message: errorMessageOf(text) ?? text };
    return { kind: 'ok', payload: parseOutput(text) };
  }

  async close(): Promise<void> {
    if (this.#sdk) (await this.#sdk).client.destroy();
  }
}

/** An error the Lambda service answered with; its code is what Cognito puts in the message (C-ULE). */
function serviceFailure(error: unknown): InvokeOutcome | undefined {
  const e = error as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (!status || !e.name) return undefined;
  return { kind: 'invoke-error', code: e.name, retryable: TRANSIENT.has(e.name) || status === 429 || status >= 500 };
}
