/**
 * @module The server's Prometheus metrics: requests by operation and outcome with latency, outbox
 * depth and age, delivery and trigger outcomes with latency, store errors, SQLite group-commit
 * batch sizes and fsync times, PostgreSQL queries and round trips, and the process's own figures. One registry per
 * server, so that several servers in one process (a user's test suite) do not mix their counts;
 * only the PostgreSQL traffic, counted where connections are made, is the whole process's.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { pgTraffic, type PgTraffic } from './postgres-traffic.ts';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface OutboxGauge {
  /** Messages not yet sent (pending or leased) and the creation time of the oldest, if any. */
  pending(): Promise<{ count: number; oldestCreatedAt: number | null }>;
  now(): number;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #requests = new Counter({ name: 'userpool_requests_total', help: 'API requests by operation and outcome (ok or the error type)', labelNames: ['operation', 'outcome'] as const, registers: [this.registry] });
  readonly #latency = new Histogram({ name: 'userpool_request_duration_seconds', help: 'API request latency by operation, from dispatch to answer', labelNames: ['operation'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly #deliveries = new Counter({ name: 'userpool_deliveries_total', help: 'Message deliveries by medium and outcome', labelNames: ['medium', 'outcome'] as const, registers: [this.registry] });
  readonly #deliveryLatency = new Histogram({ name: 'userpool_delivery_duration_seconds', help: 'Time to hand one message to its transport', labelNames: ['medium'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly #triggers = new Counter({ name: 'userpool_trigger_invocations_total', help: 'Lambda trigger runs by trigger and outcome', labelNames: ['trigger', 'outcome'] as const, registers: [this.registry] });
  readonly #triggerLatency = new Histogram({ name: 'userpool_trigger_duration_seconds', help: 'Lambda trigger latency, retries included', labelNames: ['trigger'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly #storeErrors = new Counter({ name: 'userpool_store_errors_total', help: 'Store calls that failed (database errors, not refusals)', labelNames: ['call'] as const, registers: [this.registry] });
  readonly #batches = new Histogram({ name: 'userpool_sqlite_commit_batch_size', help: 'Writes carried by one SQLite group commit (one fsync)', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers: [this.registry] });
  readonly #syncs = new Histogram({ name: 'userpool_sqlite_fsync_seconds', help: 'Time the fsync of the SQLite WAL took after each group commit', buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1], registers: [this.registry] });
  /** prom-client hashes the label values on every call; the hot path reuses one child per label set. */
  readonly #children = new Map<string, { inc(): void } | { observe(v: number): void }>();

  constructor(outbox?: OutboxGauge) {
    collectDefaultMetrics({ register: this.registry, prefix: 'userpool_' });
    this.#traffic('userpool_postgres_queries_total', 'Queries sent to PostgreSQL by this process', 'queries');
    this.#traffic('userpool_postgres_round_trips_total', 'Round trips to PostgreSQL by this process: queries pipelined behind one in flight ride along with it', 'roundTrips');
    if (!outbox) return;
    let last: Promise<{ count: number; oldestCreatedAt: number | null }> | undefined;
    // Both gauges come from one query per scrape.
    const read = () => (last ??= outbox.pending().finally(() => setImmediate(() => (last = undefined))));
    new Gauge({
      name: 'userpool_outbox_pending',
      help: 'Messages waiting to be sent',
      registers: [this.registry],
      async collect() {
        this.set((await read()).count);
      },
    });
    new Gauge({
      name: 'userpool_outbox_oldest_pending_seconds',
      help: 'Age of the oldest message waiting to be sent (0 when none)',
      registers: [this.registry],
      async collect() {
        const { oldestCreatedAt } = await read();
        this.set(oldestCreatedAt === null ? 0 : Math.max(0, (outbox.now() - oldestCreatedAt) / 1000));
      },
    });
  }

  request(operation: string, outcome: string, seconds: number): void {
    this.#counter(this.#requests, 'r', operation, outcome).inc();
    this.#histogram(this.#latency, 'l', operation).observe(seconds);
  }

  delivery(medium: string, outcome: 'sent' | 'retry' | 'failed', seconds: number): void {
    this.#deliveries.inc({ medium, outcome });
    this.#deliveryLatency.observe({ medium }, seconds);
  }

  trigger(trigger: string, outcome: string, seconds: number): void {
    this.#triggers.inc({ trigger, outcome });
    this.#triggerLatency.observe({ trigger }, seconds);
  }

  storeError(call: string): void {
    this.#storeErrors.inc({ call });
  }

  commitSync(seconds: number): void {
    this.#syncs.observe(seconds);
  }

  commitBatch(size: number): void {
    this.#batches.observe(size);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The tally is kept by the store's connections; a scrape copies it, as the store has no handle on the registry. */
  #traffic(name: string, help: string, field: keyof PgTraffic): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(pgTraffic[field]);
      },
    });
  }

  #counter(counter: Counter<'operation' | 'outcome'>, tag: string, a: string, b: string): { inc(): void } {
    const key = `${tag}\0${a}\0${b}`;
    let child = this.#children.get(key) as { inc(): void } | undefined;
    if (!child) this.#children.set(key, (child = counter.labels(a, b)));
    return child;
  }

  #histogram(histogram: Histogram<'operation'>, tag: string, a: string): { observe(v: number): void } {
    const key = `${tag}\0${a}`;
    let child = this.#children.get(key) as { observe(v: number): void } | undefined;
    if (!child) this.#children.set(key, (child = histogram.labels(a)));
    return child;
  }
}
