/**
 * @module The durable outbox (issue 4 item 5): a message queued while the mail server is down
 * survives a crash or a stop of this server and arrives exactly once after the restart; retries
 * end when the code inside would be dead anyway.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { ConfirmSignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { ParsedMail } from 'mailparser';
import { userState } from '../helpers/cognito.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, testDb, type OutboxEntry, type TestServer } from '../helpers/server.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** Polls the outbox until `ready` holds for `username`'s newest message. */
async function until(server: TestServer, username: string, ready: (m: OutboxEntry) => boolean): Promise<OutboxEntry> {
  for (let i = 0; i < 1200; i++) {
    const last = (await server.outbox(username)).at(-1);
    if (last && ready(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`outbox for ${username} never got there: ${JSON.stringify(await server.outbox(username))}`);
}

const failedOnce = (m: OutboxEntry) => m.status === 'pending' && m.attempts >= 1 && m.lastError !== null;
const mailsTo = (smtp: TestSmtp, to: string): ParsedMail[] =>
  smtp.mails.filter((m) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).some((a) => a.value.some((v) => v.address === to)));

for (const shutdown of ['kill', 'stop'] as const) {
  describe(`outbox across a ${shutdown === 'kill' ? 'crash (SIGKILL)' : 'graceful stop (SIGTERM)'} while SMTP is down`, () => {
    const running: TestServer[] = [];
    let smtp: TestSmtp | undefined;
    after(async () => {
      for (const server of running) await server.stop();
      await smtp?.close();
    });

    test('every queued message arrives exactly once after the restart, and its code still confirms', async () => {
      const db = testDb();
      const first = await startTestServer({ db, args: ['--smtp-url', `smtp://127.0.0.1:${await closedPort()}`] });
      running.push(first);
      const { poolId, clientId } = await createPool(first.client());
      const users = [`${shutdown}-a`, `${shutdown}-b`];
      for (const username of users) await signUp(first.client(), clientId, username);
      const queued = await Promise.all(users.map((username) => until(first, username, failedOnce)));
      assert.match(queued[0]!.lastError ?? '', /ECONNREFUSED/u);
      await first[shutdown]();

      smtp = await startSmtp();
      const second = await startTestServer({ db, args: ['--smtp-url', smtp.url] });
      running.push(second);
      const mails = await Promise.all(users.map((username) => smtp!.waitFor(`${username}@example.com`, 60_000)));
      const sent = await Promise.all(users.map((username) => until(second, username, (m) => m.status === 'sent')));
      for (const [i, username] of users.entries()) {
        assert.equal(sent[i]!.id, queued[i]!.id);
        assert.equal(mails[i]!.text?.trim(), `Your verification code is ${queued[i]!.code}.`);
        await second.client().send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: queued[i]!.code! }));
        assert.equal((await userState(second.client(), poolId, username)).status, 'CONFIRMED');
      }

      // A later message going through shows the dispatcher has made further passes since.
      await signUp(second.client(), clientId, `${shutdown}-later`);
      await smtp.waitFor(`${shutdown}-later@example.com`);
      await until(second, `${shutdown}-later`, (m) => m.status === 'sent');
      for (const username of users) assert.equal(mailsTo(smtp, `${username}@example.com`).length, 1);
      assert.equal((await second.outbox()).filter((m) => m.status !== 'sent').length, 0);
    });
  });
}

describe('outbox retries end with the code’s 24-hour life', () => {
  let server: TestServer;
  after(() => server.stop());

  test('a message still undeliverable after 24 hours is marked failed with its last error', async () => {
    server = await startTestServer({ args: ['--smtp-url', `smtp://127.0.0.1:${await closedPort()}`] });
    const { clientId } = await createPool(server.client());
    await signUp(server.client(), clientId, 'expired');
    const queued = await until(server, 'expired', failedOnce);
    await server.advanceClock(25 * 60 * 60);
    const failed = await until(server, 'expired', (m) => m.status === 'failed');
    assert.equal(failed.id, queued.id);
    assert.ok(failed.attempts > queued.attempts);
    assert.match(failed.lastError ?? '', /ECONNREFUSED/u);
  });
});
