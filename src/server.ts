/** @module Assembles a running server from a configuration: store, keys, delivery, triggers, HTTP. */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { applyDeclarations } from './config/declarations.ts';
import { decodeKey, type ServerConfig } from './config/config.ts';
import { OutboxDispatcher } from './delivery/dispatcher.ts';
import { createSenders } from './delivery/create-senders.ts';
import { errors } from './domain/messages.ts';
import { argon2idHasher, type PasswordHasher } from './domain/passwords.ts';
import { RequestGate } from './limits/request-gate.ts';
import { buildHandlers } from './operations/index.ts';
import type { Services } from './operations/services.ts';
import { createControlApi } from './protocol/control-api.ts';
import { handleConfirmUser } from './protocol/confirm-user-page.ts';
import { createDispatcher } from './protocol/dispatch.ts';
import { PREFLIGHT_HEADERS, sendError } from './protocol/http-io.ts';
import { SignatureVerifier } from './protocol/sigv4.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';
import { createTriggers } from './triggers/create-triggers.ts';
import { OffsetClock } from './util/clock.ts';
import { newRequestId } from './util/ids.ts';
import { SecretBox } from './util/secret-box.ts';

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Replaces argon2id, e.g. for benchmarks that isolate other costs; tests keep the real one. */
  passwords?: PasswordHasher;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: undefined });
  const clock = new OffsetClock();
  const store = await openStore(config);
  try {
    const box = new SecretBox(await masterKey(config, store));
    await applyDeclarations(store, box, config.pools, { region: config.region, defaultLimits: config.defaultLimits, now: clock.now() });

    const dispatcher = new OutboxDispatcher({ store, box, clock, logger, senders: createSenders(config) });
    const gate = new RequestGate({
      quotas: config.quotas,
      perAddress: config.perAddressRps,
      rules: Object.fromEntries(config.pools.filter((p) => p.id && p.requestRules).map((p) => [p.id as string, p.requestRules!])),
    });
    const triggers = createTriggers(config);
    const server = createServer({ keepAliveTimeout: 65_000 });
    await listen(server, config.port, config.host);
    const port = (server.address() as AddressInfo).port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

    const services: Services = {
      store, box, clock, gate, triggers,
      region: config.region,
      accountId: config.accountId,
      passwords: options.passwords ?? argon2idHasher,
      defaultLimits: config.defaultLimits,
      publicUrl: config.publicUrl ?? url,
      wakeOutbox: () => dispatcher.wake(),
    };
    const dispatch = createDispatcher({
      handlers: buildHandlers(services),
      clock,
      logger,
      bodyLimit: config.bodyLimit,
      modelledStatusCodes: config.modelledStatusCodes,
      trustProxy: config.trustProxy,
      verifier: config.profile === 'production' ? new SignatureVerifier(config.adminCredentials) : undefined,
    });
    const control = config.profile === 'local' ? createControlApi({ store, box, clock }) : undefined;
    const confirmUser = handleConfirmUser(services);

    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      // Every answer carries a request id (spec §1); the API dispatcher answers and logs with the same one.
      const requestId = newRequestId();
      res.setHeader('x-amzn-RequestId', requestId);
      const fail = (error: unknown) => {
        logger.error({ requestId, err: error }, 'unhandled request failure');
        const internal = errors.internal();
        if (res.headersSent) res.end();
        else sendError(res, 500, internal.type, internal.message, requestId);
      };
      if (req.method === 'OPTIONS') {
        res.writeHead(204, PREFLIGHT_HEADERS);
        res.end();
      } else if (req.method === 'POST' && url.pathname === '/') {
        dispatch(req, res, requestId).catch(fail);
      } else if (req.method === 'GET' && url.pathname === '/health') {
        store.ping().then(
          () => reply(res, 200, '{"status":"ok"}'),
          () => reply(res, 503, '{"status":"unavailable"}'),
        );
      } else if (req.method === 'GET' && url.pathname === '/confirmUser') {
        confirmUser(req, res, url).catch(fail);
      } else if (control && url.pathname.startsWith('/_userpool/')) {
        control(req, res, url).catch(fail);
      } else {
        // Same envelope as the API's own errors, so an SDK pointed at a wrong path reads a clear error.
        const unknown = errors.unknownOperation();
        sendError(res, 404, unknown.type, unknown.message, requestId);
      }
    });

    dispatcher.start();
    logger.info({ url, db: storeLabel(config.db), profile: config.profile }, 'userpool listening');
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      store,
      close: () =>
        (closing ??= (async () => {
          await new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          });
          await dispatcher.stop();
          await triggers.close();
          await store.close();
        })()),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

function reply(res: import('node:http').ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The local profile may keep a generated key in its own database; production must be given one. */
async function masterKey(config: ServerConfig, store: Store): Promise<Buffer> {
  if (config.secretKey) return decodeKey(config.secretKey);
  return Buffer.from(await store.metaGetOrSet('local-master-key', randomBytes(32).toString('base64')), 'base64');
}

/** Never print credentials that may sit in a database URL. */
function storeLabel(db: string): string {
  return db.replace(/\/\/[^@/]*@/u, '//***@');
}
