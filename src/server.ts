/** @module Assembles a running server from a configuration: store, keys, delivery, triggers, HTTP. */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { applyDeclarations } from './config/declarations.ts';
import { decodeKey, type ServerConfig } from './config/config.ts';
import { OutboxDispatcher } from './delivery/dispatcher.ts';
import { createSenders } from './delivery/create-senders.ts';
import { argon2idHasher, type PasswordHasher } from './domain/passwords.ts';
import { RequestGate } from './limits/request-gate.ts';
import { buildHandlers } from './operations/index.ts';
import type { Services } from './operations/services.ts';
import { createControlApi } from './protocol/control-api.ts';
import { createConsoleRouter } from './console/console-router.ts';
import { outboxConsoleServices } from './console/outbox-services.ts';
import { handleConfirmUser } from './protocol/confirm-user-page.ts';
import { clientAddressResolver } from './protocol/client-address.ts';
import { createDispatcher } from './protocol/dispatch.ts';
import { Drainer } from './protocol/drain.ts';
import { healthRoutes } from './protocol/health.ts';
import { createRequestListener, type Route } from './protocol/listener.ts';
import { SignatureVerifier } from './protocol/sigv4.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';
import { createTriggers } from './triggers/create-triggers.ts';
import { OffsetClock } from './util/clock.ts';
import { createLogger } from './util/logger.ts';
import { TokenService } from './operations/shared/sign-in/token-service.ts';
import { wellKnownRoute } from './protocol/well-known.ts';
import { domainRouter } from './oauth/domain-router.ts';
import { countStoreErrors } from './metrics/count-store-errors.ts';
import { Metrics } from './metrics/metrics.ts';
import { metricsRoute, startMetricsServer } from './protocol/metrics-route.ts';
import { SecretBox } from './util/secret-box.ts';
import { serverTls } from './tls/server-tls.ts';

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  /** With TLS on: the certificate served and, when it was generated, the authority to trust. */
  tls?: { certPath: string; caPath?: string };
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Replaces argon2id, e.g. for benchmarks that isolate other costs; tests keep the real one. */
  passwords?: PasswordHasher;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? (await createLogger({ level: config.logLevel, format: config.logFormat, profile: config.profile }));
  const clock = new OffsetClock();
  let store: Store | undefined;
  const metrics = new Metrics({ pending: () => store!.outboxPending(), now: () => clock.now() });
  const opened = await openStore(config, { onBatch: (size) => metrics.commitBatch(size), onSync: (seconds) => metrics.commitSync(seconds) });
  store = countStoreErrors(opened, (call) => metrics.storeError(call));
  let metricsServer: Server | undefined;
  try {
    const box = new SecretBox(await masterKey(config, store));
    await applyDeclarations(store, box, config.pools, { region: config.region, defaultLimits: config.defaultLimits, now: clock.now() });

    const dispatcher = new OutboxDispatcher({ store, box, clock, logger, senders: createSenders(config), observe: (m, o, sec) => metrics.delivery(m, o, sec) });
    const gate = new RequestGate({
      quotas: config.quotas,
      perAddress: config.perAddressRps,
      rules: Object.fromEntries(config.pools.filter((p) => p.id && p.requestRules).map((p) => [p.id as string, p.requestRules!])),
    });
    const triggers = createTriggers(config, (t, o, sec) => metrics.trigger(t, o, sec));
    const consoleOutbox = config.console ? outboxConsoleServices(store, triggers, logger) : undefined;
    const tls = serverTls(config);
    const httpOptions = {
      keepAliveTimeout: 65_000,
      // A body that trickles in holds a connection and a buffer; it gets as long as the headers do.
      requestTimeout: config.requestTimeoutSeconds * 1000,
      headersTimeout: config.requestTimeoutSeconds * 1000,
      // Node checks those timeouts on this interval; its 30 s default would let them run late by as much.
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutSeconds * 500),
    };
    // Same port, same listener: only the transport changes, so every route behaves alike on both.
    const server = tls ? (createHttpsServer({ ...httpOptions, key: tls.key, cert: tls.cert }) as unknown as Server) : createServer(httpOptions);
    server.maxConnections = config.maxConnections;
    const drainer = new Drainer(server);
    await listen(server, config.port, config.host);
    const port = (server.address() as AddressInfo).port;
    const url = `${tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

    const services: Services = {
      store, box, clock, gate, triggers,
      region: config.region,
      accountId: config.accountId,
      passwords: options.passwords ?? argon2idHasher,
      defaultLimits: config.defaultLimits,
      publicUrl: config.publicUrl ?? url,
      lockout: config.lockout,
      tokens: new TokenService({ store, box, issuerMode: config.tokenIssuer, publicUrl: config.publicUrl ?? url, keyCacheMs: config.signingKeyCacheSeconds * 1000 }),
      wakeOutbox: () => dispatcher.wake(),
    };
    const addressOf = clientAddressResolver(config.trustProxy);
    const handlers = buildHandlers(services);
    const dispatch = createDispatcher({
      handlers,
      clock,
      logger,
      bodyLimit: config.bodyLimit,
      modelledStatusCodes: config.modelledStatusCodes,
      addressOf,
      verifier: config.profile === 'production' ? new SignatureVerifier(config.adminCredentials, { region: config.region }) : undefined,
      observe: (operation, outcome, seconds) => metrics.request(operation, outcome, seconds),
      settled: () => store!.settled?.(),
    });
    const metricsPage = metricsRoute(metrics, config.metricsToken);
    // Production keeps the figures to operators: behind the token on this port, or on their own port.
    const metricsHere = config.profile === 'local' || config.metricsToken !== undefined;
    if (config.metricsPort !== undefined) metricsServer = await startMetricsServer(metricsPage, config.metricsPort, config.host);
    const metricsUrl = metricsServer && `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${(metricsServer.address() as AddressInfo).port}/metrics`;
    const control = config.profile === 'local' ? createControlApi({ store, box, clock, tokens: services.tokens, allowedHosts: config.controlHosts }) : undefined;
    const confirmUser = handleConfirmUser(services, addressOf);
    const consoleRoute = config.console
      ? createConsoleRouter(
          {
            s: services,
            logger,
            handlers,
            limits: {
              quotas: config.quotas,
              perAddressRps: config.perAddressRps,
              lockout: config.lockout,
              requestRules: Object.fromEntries(config.pools.filter((p) => p.id && p.requestRules).map((p) => [p.id as string, p.requestRules!])),
            },
            ...consoleOutbox,
          },
          { path: config.consolePath, profile: config.profile, adminCredentials: config.adminCredentials, token: config.consoleToken, allowedHosts: config.controlHosts, addressOf },
        )
      : undefined;

    server.on(
      'request',
      createRequestListener(
        {
          api: (req, res, _url, requestId) => dispatch(req, res, requestId),
          pages: {
            ...healthRoutes(store, () => drainer.draining),
            '/confirmUser': (req, res, url) => confirmUser(req, res, url),
            ...(metricsHere ? { '/metrics': metricsPage } : {}),
            ...(consoleRoute ? { [config.consolePath]: consoleRoute } : {}),
          },
          prefixes: [
            ...(control ? [['/_userpool/', (req, res, url) => control(req, res, url)] satisfies [string, Route]] : []),
            ...(consoleRoute ? [[`${config.consolePath}/`, consoleRoute] satisfies [string, Route]] : []),
          ],
          match: wellKnownRoute(services.tokens, (poolId) => store!.getUserPool(poolId), services.publicUrl, clock, (poolId) => store!.domainsOfPool(poolId)),
          domain: domainRouter(services, addressOf),
        },
        logger,
        (res) => drainer.track(res),
      ),
    );

    dispatcher.start();
    if (tls?.madeAuthority) logger.warn({ ca: tls.caPath }, 'made a new local certificate authority: trust this file (README, TLS for local use)');
    logger.info({ url, db: storeLabel(config.db), profile: config.profile, ...(metricsUrl ? { metricsUrl } : {}), ...(tls ? { tlsCert: tls.certPath, ...(tls.caPath ? { tlsCa: tls.caPath } : {}) } : {}) }, 'userpool listening');
    // Tokens name their issuer; without one shared public URL each instance names itself and refuses the others' tokens.
    if (store.kind === 'postgres' && config.publicUrl === undefined && config.tokenIssuer === 'local') {
      logger.warn({ issuer: `${url}/<poolId>` }, 'no public URL is set: tokens from this instance name it as their issuer, and other instances refuse them; give every instance the same --public-url');
    }
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      store,
      ...(tls ? { tls: { certPath: tls.certPath, ...(tls.caPath ? { caPath: tls.caPath } : {}) } } : {}),
      close: () =>
        (closing ??= (async () => {
          logger.info({ drainSeconds: config.drainSeconds }, 'userpool draining');
          // Live-view streams never end by themselves; the drain would wait on them to its deadline.
          consoleOutbox?.live.close();
          const report = await drainer.drain(config.drainSeconds * 1000);
          metricsServer?.close();
          metricsServer?.closeAllConnections();
          // Hands back leased outbox messages and flushes SQLite's pending group commit.
          await dispatcher.stop();
          await triggers.close();
          await store.close();
          logger.info(report, 'userpool stopped');
        })()),
    };
  } catch (error) {
    metricsServer?.close();
    await store.close();
    throw error;
  }
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
