/**
 * @module The console's outbox, trigger log and live view over raw HTTP (issue 14 items 2 and 5):
 * messages across pools with filters and paging, a message's text with its code, the retry of a
 * message a refusing SMTP server failed, the trigger log after a PreSignUp run, and the event
 * stream telling a listener about a sign-up within seconds.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { SMTPServer } from 'smtp-server';
import { fixturePath, functionArn } from '../fixtures/trigger-fixtures.ts';
import { writeConfig } from '../helpers/cognito.ts';
import { PASSWORD, createPool, signUp } from '../helpers/fixtures.ts';
import { FormBrowser } from '../helpers/form-browser.ts';
import { startTestServer, type OutboxEntry, type TestServer } from '../helpers/server.ts';

/** An SMTP server that takes every mail except to the addresses in `refusing`, which it refuses for good (550). */
async function refusingSmtp() {
  const refusing = new Set<string>();
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onRcptTo(address, _session, callback) {
      if (refusing.has(address.address)) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      received.push(address.address);
      callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, refusing, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads an event stream until `match` shows up in what arrived, or fails after `ms`. */
async function streamUntil(url: string, match: RegExp, ms: number, onLive: () => Promise<void>): Promise<{ type: string; text: string }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  const res = await fetch(url, { signal: abort.signal });
  const type = res.headers.get('content-type') ?? '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let live = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (!live && text.includes(': live')) {
        live = true;
        await onLive();
      }
      if (match.test(text)) return { type, text };
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  throw new Error(`no ${match} within ${ms} ms; the stream said:\n${text}`);
}

describe('console: outbox, trigger log and live view', () => {
  let smtp: Awaited<ReturnType<typeof refusingSmtp>>;
  let server: TestServer;
  let console_: string;
  let triggered: { poolId: string; clientId: string };
  let plain: { poolId: string; clientId: string };

  const sentTo = (username: string) =>
    until(`the message to ${username} to be sent`, async () => (await server.outbox(username)).find((m) => m.status === 'sent'));

  before(async () => {
    smtp = await refusingSmtp();
    const functions = { [functionArn('pre-sign-up')]: { module: fixturePath('pre-sign-up') } };
    server = await startTestServer({ args: ['--smtp-url', smtp.url, '--config', writeConfig({ functions })] });
    console_ = `${server.url}/_console`;
    triggered = await createPool(server.client(), { PoolName: 'with-trigger', LambdaConfig: { PreSignUp: functionArn('pre-sign-up') } });
    plain = await createPool(server.client(), { PoolName: 'plain' });
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
  });

  test('lists messages across pools newest first, filters by pool and status, and shows a sent code on its page', async () => {
    await signUp(server.client(), triggered.clientId, 'alice', 'alice@example.com');
    await signUp(server.client(), plain.clientId, 'bob', 'bob@example.net');
    const [alice, bob] = [await sentTo('alice'), await sentTo('bob')];

    const list = await fetch(`${console_}/outbox`);
    assert.equal(list.status, 200);
    assert.match(list.headers.get('content-security-policy') ?? '', /script-src 'self'/u);
    const text = await list.text();
    assert.ok(text.indexOf(`#${bob.id}<`) > 0 && text.indexOf(`#${bob.id}<`) < text.indexOf(`#${alice.id}<`), 'newest first');
    assert.match(text, /a\*\*\*@e\*\*\*/u, 'the destination is masked');
    assert.doesNotMatch(text, /alice@example\.com/u);
    assert.doesNotMatch(text, new RegExp(`\\b${alice.code}\\b`, 'u'), 'the list shows no code');

    const onlyPlain = await (await fetch(`${console_}/outbox?pool=${plain.poolId}`)).text();
    assert.ok(onlyPlain.includes(`#${bob.id}<`) && !onlyPlain.includes(`#${alice.id}<`), 'filtered by pool');
    const failed = await (await fetch(`${console_}/outbox?status=failed`)).text();
    assert.ok(!failed.includes(`#${bob.id}<`) && failed.includes('No messages match.'), 'filtered by status');
    const sent = await (await fetch(`${console_}/outbox?status=sent&pool=${triggered.poolId}`)).text();
    assert.ok(sent.includes(`#${alice.id}<`));

    const detail = await fetch(`${console_}/outbox/${alice.id}`);
    assert.equal(detail.status, 200);
    const page = await detail.text();
    assert.match(page, new RegExp(`<code class="mono">${alice.code}</code>`, 'u'), 'the code is shown');
    assert.ok(page.includes(`Your verification code is ${alice.code}`), 'the text is shown');
    assert.ok(page.includes('alice@example.com'), 'the message page names the full destination');
    assert.match(page, /badge-ok">sent</u);
    assert.doesNotMatch(page, /Retry delivery/u, 'a sent message offers no retry');
    assert.equal((await fetch(`${console_}/outbox/99999999`)).status, 404);
    assert.equal((await fetch(`${console_}/outbox/not-a-number`)).status, 404);
  });

  test('pages older messages by id: no message twice, none left out', async () => {
    for (let i = 0; i < 3; i++) await signUp(server.client(), plain.clientId, `pager${i}`);
    const all = (await server.outbox()).map((m) => m.id).sort((a, b) => b - a);
    const seen: number[] = [];
    let path = `/outbox`;
    for (let guard = 0; guard < 20 && path; guard++) {
      const text = await (await fetch(console_ + path)).text();
      seen.push(...[...text.matchAll(/>#(\d+)</gu)].map((m) => Number(m[1])));
      path = /<a href="\/_console(\/outbox\?before=\d+)" rel="next">/u.exec(text)?.[1] ?? '';
    }
    // Fewer messages than a page holds: one page, every message on it.
    assert.deepEqual(seen, all);
  });

  test('a message the SMTP server refused shows as failed with the error; retry queues it again and it is then sent', async () => {
    smtp.refusing.add('carol@example.org');
    await signUp(server.client(), plain.clientId, 'carol', 'carol@example.org');
    const failed = await until('the refusal', async () => (await server.outbox('carol')).find((m: OutboxEntry) => m.status === 'failed'));
    assert.match(failed.lastError ?? '', /550/u);

    const browser = new FormBrowser(server.url);
    const list = await browser.get('/_console/outbox?status=failed');
    assert.ok(list.text.includes(`#${failed.id}<`));
    assert.match(list.text, /badge-bad">failed</u);
    assert.ok(list.text.includes('mailbox unavailable'), 'the last error is shown');

    const page = await browser.get(`/_console/outbox/${failed.id}`);
    assert.match(page.text, /Retry delivery/u);
    // Without the CSRF token the router refuses, and nothing is retried.
    const forged = await browser.request(`/_console/outbox/${failed.id}/retry`, { form: { _csrf: 'x'.repeat(43) } });
    assert.equal(forged.status, 403);
    assert.equal((await server.outbox('carol'))[0]!.status, 'failed');

    smtp.refusing.delete('carol@example.org');
    const retry = `/_console/outbox/${failed.id}/retry`;
    assert.ok(page.text.includes(`action="${retry}"`));
    const retried = await browser.post(retry, page, {});
    assert.equal(retried.status, 303);
    assert.match(retried.location, new RegExp(`/_console/outbox/${failed.id}\\?notice=`, 'u'));
    const after = await sentTo('carol');
    assert.equal(after.id, failed.id);
    assert.equal(after.attempts, 2);
    assert.ok(smtp.received.includes('carol@example.org'), 'the mail arrived');
    const shown = await browser.get(retried.location);
    assert.ok(shown.text.includes(`Message #${failed.id} is queued again.`), 'the notice is shown');
    assert.match(shown.text, /badge-ok">sent</u);

    const again = await browser.post(retry, page, {});
    assert.equal(again.status, 303);
    const told = await browser.get(again.location);
    assert.ok(told.text.includes('has not failed, so there is nothing to retry'));
    assert.match(server.output(), /"actor":"local","operation":"RetryOutboxMessage"[^\n]*"outcome":"ok"/u, 'the action is logged with its actor');
  });

  test('the trigger log shows a PreSignUp run: event, pool, function, duration, outcome, error; never the event', async () => {
    await signUp(server.client(), triggered.clientId, 'dora', 'dora-secret-address@example.com');
    const refused = server.client().send(
      new SignUpCommand({
        ClientId: triggered.clientId,
        Username: 'eve',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'eve@example.com' }],
        ClientMetadata: { reject: 'no <script>alert(1)</script> "here"' },
      }),
    );
    await assert.rejects(refused, /PreSignUp failed with error no <script>/u);
    const page = await (await fetch(`${console_}/triggers`)).text();
    assert.match(page, /PreSignUp_SignUp/u);
    assert.ok(page.includes(functionArn('pre-sign-up')));
    assert.ok(page.includes(triggered.poolId));
    assert.match(page, /\d+ ms/u);
    assert.match(page, /badge-ok">ok</u);
    assert.ok(page.includes('function error'));
    assert.ok(page.includes('no &lt;script&gt;alert(1)&lt;/script&gt; &quot;here&quot;'), 'the error is shown, escaped');
    assert.doesNotMatch(page, /<script>alert/u);
    assert.doesNotMatch(page, /dora-secret-address/u, 'no attribute of the event is kept');
    // Newest first: eve's refusal comes before dora's run.
    assert.ok(page.indexOf('function error') < page.lastIndexOf('badge-ok">ok<'));
  });

  test('the event stream sends an outbox event within seconds of a sign-up, and a users event for a watched pool', async () => {
    const outbox = await streamUntil(`${console_}/events`, /event: outbox\ndata: /u, 8000, async () => {
      await signUp(server.client(), plain.clientId, 'frank');
    });
    assert.match(outbox.type, /^text\/event-stream/u);
    const users = await streamUntil(`${console_}/events?pool=${encodeURIComponent(triggered.poolId)}`, /event: users\ndata: \{"poolId":"[^"]+"\}/u, 8000, async () => {
      await signUp(server.client(), triggered.clientId, 'gina');
    });
    assert.ok(users.text.includes(`"poolId":"${triggered.poolId}"`));
    const script = await fetch(`${console_}/static/live.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/u);
    assert.match(await script.text(), /EventSource/u);
  });

  test('hostile usernames show as text on the outbox pages', async () => {
    await signUp(server.client(), plain.clientId, '<img_src=x>"\'', 'hostile@example.com');
    const message = await until('the hostile message', async () => (await server.outbox('<img_src=x>"\'')).at(0));
    const list = await (await fetch(`${console_}/outbox`)).text();
    assert.ok(list.includes('&lt;img_src=x&gt;&quot;&#39;'));
    assert.doesNotMatch(list, /<img_src/u);
    const detail = await (await fetch(`${console_}/outbox/${message.id}`)).text();
    assert.doesNotMatch(detail, /<img_src/u);
  });

  // Last: it stops the server.
  test('on shutdown the server ends open event streams cleanly instead of waiting out its 10 s drain', async () => {
    const res = await fetch(`${console_}/events`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes(': live')) text += decoder.decode((await reader.read()).value);
    const started = Date.now();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return Date.now() - started;
    })();
    await server.stop();
    const ms = await ended;
    assert.ok(ms < 5000, `the stream ended ${ms} ms after shutdown began`);
    assert.match(server.output(), /"inFlight":\d+,"forced":0/u, 'the drain had to cut connections');
  });
});
