/** @module The SRP phase's client: worker threads holding (a, A) pairs made before the clock starts, which finish each challenge off the load generator's thread, and the exchange itself: InitiateAuth USER_SRP_AUTH, the claim, RespondToAuthChallenge. */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { post, type FlowOutcome, type Reply, type Target } from './load.ts';
import { srpAnswerBody } from './scenario.ts';
import type { SrpJob, SrpReply, SrpRequest, SrpWorkerData } from './srp-worker.ts';

type Claim = { timestamp: string; signature: string };

/**
 * Node 20 does not carry tsx's loader hooks into worker threads, so each worker registers them
 * itself before it loads the TypeScript; an import that fails surfaces as the worker's 'error'.
 */
const BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((api) => { api.register(); return import(${JSON.stringify(new URL('./srp-worker.ts', import.meta.url).href)}); });`;

interface Lane {
  worker: Worker;
  inFlight: number;
  /** Answers to the set-up messages, which each worker handles in order. */
  waiting: { resolve: (reply: SrpReply) => void; reject: (error: Error) => void }[];
}

export class SrpClients {
  readonly #lanes: Lane[];
  readonly #pending = new Map<number, { resolve: (claim: Claim) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  /** SRP_A of each pair, by the pair's index, as InitiateAuth sends it: lower-case hex, unpadded. */
  srpA: string[] = [];

  private constructor(count: number, data: SrpWorkerData) {
    this.#lanes = Array.from({ length: count }, () => {
      const lane: Lane = { worker: new Worker(BOOT, { eval: true, workerData: data }), inFlight: 0, waiting: [] };
      lane.worker.on('message', (reply: SrpReply) => this.#onReply(lane, reply));
      lane.worker.on('error', (error) => this.#failAll(lane, error));
      return lane;
    });
  }

  /** `pairs` pairs are made across the workers, then every worker is given all of them. */
  static async start(workers: number, data: SrpWorkerData, pairs: number): Promise<SrpClients> {
    const clients = new SrpClients(workers, data);
    try {
      const per = Math.ceil(pairs / workers);
      const made = await Promise.all(clients.#lanes.map((lane) => clients.#control(lane, { type: 'pairs', count: per })));
      const all = made.flatMap((reply) => (reply.type === 'pairs' ? reply.pairs : [])).slice(0, pairs);
      await Promise.all(clients.#lanes.map((lane) => clients.#control(lane, { type: 'secrets', pairs: all })));
      clients.srpA = all.map((pair) => pair.A);
      return clients;
    } catch (error) {
      await clients.close();
      throw error;
    }
  }

  /** The least busy worker takes the job, so one slow worker does not hold up the callers. */
  claim(job: Omit<SrpJob, 'id'>): Promise<Claim> {
    const lane = this.#lanes.reduce((best, lane) => (lane.inFlight < best.inFlight ? lane : best));
    const id = this.#nextId++;
    lane.inFlight++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      lane.worker.postMessage({ type: 'sign', id, ...job } satisfies SrpRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.worker.terminate()));
  }

  #control(lane: Lane, request: SrpRequest): Promise<SrpReply> {
    return new Promise((resolve, reject) => {
      lane.waiting.push({ resolve, reject });
      lane.worker.postMessage(request);
    });
  }

  #onReply(lane: Lane, reply: SrpReply): void {
    if (reply.type === 'signed' || reply.type === 'failed') {
      lane.inFlight--;
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.type === 'signed') pending?.resolve({ timestamp: reply.timestamp, signature: reply.signature });
      else pending?.reject(new Error(reply.message));
      return;
    }
    lane.waiting.shift()?.resolve(reply);
  }

  /** A worker that died takes every outstanding job with it, so no caller waits for ever. */
  #failAll(lane: Lane, error: Error): void {
    for (const waiter of lane.waiting.splice(0)) waiter.reject(error);
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

interface Challenge {
  ChallengeName?: string;
  Session?: string;
  ChallengeParameters?: { SALT?: string; SRP_B?: string; SECRET_BLOCK?: string; USER_ID_FOR_SRP?: string };
}

/**
 * One SRP sign-in: steps are [InitiateAuth, the client's claim, RespondToAuthChallenge] in ms.
 * `startBodies[i]` carries pair `i % srpA.length`'s SRP_A; a sign-in only counts with tokens in hand.
 */
export function srpSignIn(clients: SrpClients, clientId: string, startBodies: readonly Buffer[], timeoutMs: number) {
  return async (index: number, target: Target): Promise<FlowOutcome> => {
    const t0 = performance.now();
    const started = await post(target, 'InitiateAuth', startBodies[index]!, timeoutMs);
    const t1 = performance.now();
    if (started.status !== 200) return { steps: [t1 - t0], failure: started };
    const challenge = JSON.parse(started.body) as Challenge;
    const p = challenge.ChallengeParameters ?? {};
    if (challenge.ChallengeName !== 'PASSWORD_VERIFIER' || !challenge.Session || !p.SALT || !p.SRP_B || !p.SECRET_BLOCK || !p.USER_ID_FOR_SRP) {
      return { steps: [t1 - t0], failure: unexpected(started) };
    }
    let claim: Claim;
    try {
      claim = await clients.claim({ pair: index % clients.srpA.length, salt: p.SALT, srpB: p.SRP_B, secretBlock: p.SECRET_BLOCK, userIdForSrp: p.USER_ID_FOR_SRP });
    } catch (error) {
      return { steps: [t1 - t0], failure: { status: 0, body: `client: ${(error as Error).message}` } };
    }
    const t2 = performance.now();
    const answered = await post(target, 'RespondToAuthChallenge', srpAnswerBody(clientId, challenge.Session, p.USER_ID_FOR_SRP, p.SECRET_BLOCK, claim), timeoutMs);
    const steps = [t1 - t0, t2 - t1, performance.now() - t2];
    if (answered.status !== 200) return { steps, failure: answered };
    // A 200 with another challenge would be a sign-in that did not finish.
    return answered.body.includes('"AccessToken"') ? { steps } : { steps, failure: unexpected(answered) };
  };
}

function unexpected(reply: Reply): Reply {
  return { status: reply.status, body: `unexpected answer: ${reply.body.slice(0, 300)}` };
}
