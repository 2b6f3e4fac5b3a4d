/**
 * @module Graceful shutdown of the HTTP side: stop accepting, let requests in flight finish with
 * `Connection: close`, close kept-alive sockets as soon as they fall idle, and after the drain
 * deadline cut whatever is left, so a stalled client cannot keep the process alive.
 */
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface DrainReport {
  /** Responses still unfinished when the drain began. */
  inFlight: number;
  /** Connections cut at the deadline. */
  forced: number;
  ms: number;
}

export class Drainer {
  readonly #server: Server;
  readonly #responses = new Set<ServerResponse>();
  readonly #sockets = new Set<Socket>();
  #draining = false;

  constructor(server: Server) {
    this.#server = server;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Called for every request: during a drain its answer closes the connection behind it. */
  track(res: ServerResponse): void {
    if (this.#draining) {
      res.setHeader('Connection', 'close');
      return;
    }
    this.#responses.add(res);
    res.once('close', () => this.#responses.delete(res));
  }

  async drain(deadlineMs: number): Promise<DrainReport> {
    const started = performance.now();
    this.#draining = true;
    const inFlight = this.#responses.size;
    for (const res of this.#responses) if (!res.headersSent) res.setHeader('Connection', 'close');
    this.#responses.clear();
    const closed = new Promise<void>((done) => this.#server.close(() => done()));
    // server.close() closes the idle sockets it has now; a socket that answers with Connection:
    // close ends itself, and any that went idle in between are swept until the server is empty.
    const sweep = setInterval(() => this.#server.closeIdleConnections(), 50);
    this.#server.closeIdleConnections();
    let forced = 0;
    const deadline = new Promise<void>((done) => {
      const timer = setTimeout(() => {
        forced = this.#sockets.size;
        this.#server.closeAllConnections();
        done();
      }, deadlineMs);
      void closed.then(() => clearTimeout(timer)).then(done);
    });
    await Promise.race([closed, deadline]);
    clearInterval(sweep);
    await closed;
    return { inFlight, forced, ms: Math.round(performance.now() - started) };
  }
}
