/** @module Runs a trigger as a local JavaScript/TypeScript module exporting `handler(event)`, for development without AWS. */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { InvokeOutcome, Invoker } from './invoker.ts';

type Handler = (event: unknown) => unknown;

export class ModuleInvoker implements Invoker {
  #handler?: Promise<Handler>;

  constructor(readonly modulePath: string) {}

  async invoke(_arn: string, event: unknown, timeoutMs: number): Promise<InvokeOutcome> {
    let handler: Handler;
    try {
      this.#handler ??= import(pathToFileURL(resolve(this.modulePath)).href).then((m: { handler?: Handler; default?: { handler?: Handler } }) => {
        const found = m.handler ?? m.default?.handler;
        if (typeof found !== 'function') throw new Error('module exports no handler');
        return found;
      });
      handler = await this.#handler;
    } catch {
      this.#handler = undefined;
      return { kind: 'invoke-error', code: 'ResourceNotFoundException', retryable: false };
    }
    // A copy, so a handler that mutates its event cannot reach into the caller's state.
    const copy: unknown = structuredClone(event);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<InvokeOutcome>((done) => {
      timer = setTimeout(() => done({ kind: 'invoke-error', code: 'Socket timeout while invoking Lambda function', retryable: true }), timeoutMs);
    });
    const run = (async (): Promise<InvokeOutcome> => {
      try {
        const result = await handler(copy);
        return { kind: 'ok', payload: result === undefined ? copy : JSON.parse(JSON.stringify(result)) };
      } catch (error) {
        return { kind: 'function-error', message: error instanceof Error ? error.message : String(error) };
      }
    })();
    try {
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
