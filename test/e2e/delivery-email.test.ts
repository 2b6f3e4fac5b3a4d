/**
 * @module Email delivery over real SMTP: the sender address from EmailConfiguration, the
 * CONFIRM_WITH_LINK mail and its /confirmUser link (which confirms and runs PostConfirmation),
 * TLS options taken from the SMTP URL, and pooled connections (issue 4 items 2–3, 6).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { EventLog, fixturePath, functionArn } from '../fixtures/trigger-fixtures.ts';
import { userState, writeConfig } from '../helpers/cognito.ts';
import { PASSWORD, createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type OutboxEntry, type TestServer } from '../helpers/server.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';

/** Polls the outbox until `username`'s newest message was sent or a try failed. */
async function settled(server: TestServer, username: string): Promise<OutboxEntry> {
  for (let i = 0; i < 400; i++) {
    const last = (await server.outbox(username)).at(-1);
    if (last && (last.status === 'sent' || last.lastError)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the message to ${username} was never tried`);
}

function hrefOf(mail: ParsedMail): string {
  const href = /<a href="([^"]+)"/u.exec(String(mail.html))?.[1];
  assert.ok(href, 'the mail carries a link');
  return href.replaceAll('&amp;', '&');
}

describe('email through a real SMTP server', () => {
  const log = new EventLog();
  let smtp: TestSmtp;
  let server: TestServer;

  before(async () => {
    smtp = await startSmtp();
    const functions = {
      [functionArn('post-confirmation')]: { module: fixturePath('post-confirmation') },
      [functionArn('custom-message')]: { module: fixturePath('custom-message') },
    };
    server = await startTestServer({ args: ['--smtp-url', smtp.url, '--config', writeConfig({ functions })], env: { USERPOOL_FIXTURE_LOG: log.file } });
  });
  after(async () => {
    await server.stop();
    await smtp.close();
  });

  test("a DEVELOPER pool's From (with display name) heads the mail; each mail carries a stable Message-ID", async () => {
    const { clientId } = await createPool(server.client(), {
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'Example Team <hello@example.com>', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/example.com' },
    });
    await signUp(server.client(), clientId, 'fromname', 'fromname@example.net');
    const mail = await smtp.waitFor('fromname@example.net');
    assert.deepEqual(mail.from?.value, [{ address: 'hello@example.com', name: 'Example Team' }]);
    const [entry] = await server.outbox('fromname');
    assert.equal(mail.messageId, `<outbox.${entry!.id}.${Date.parse(entry!.time)}@example.com>`);
    assert.equal(mail.text?.trim(), `Your verification code is ${entry!.code}.`);
  });

  test('a DEVELOPER pool with only a domain identity sends from no-reply@ that domain', async () => {
    const { clientId } = await createPool(server.client(), {
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:eu-west-1:000000000000:identity/mail.example.org' },
    });
    await signUp(server.client(), clientId, 'domainonly', 'domainonly@example.net');
    const mail = await smtp.waitFor('domainonly@example.net');
    assert.equal(mail.from?.value[0]?.address, 'no-reply@mail.example.org');
  });

  test('CONFIRM_WITH_LINK: following the link in the received mail confirms the user and runs PostConfirmation', async () => {
    const { poolId, clientId } = await createPool(server.client(), {
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'hello@example.com' },
      VerificationMessageTemplate: {
        DefaultEmailOption: 'CONFIRM_WITH_LINK',
        EmailSubjectByLink: 'Confirm your account, {username}',
        EmailMessageByLink: 'Welcome {username}! {##Confirm my account##}',
      },
      LambdaConfig: { PostConfirmation: functionArn('post-confirmation') },
    });
    const out = await signUp(server.client(), clientId, 'linked', 'linked@example.net');
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'l***@e***' });
    const mail = await smtp.waitFor('linked@example.net');
    assert.equal(mail.subject, 'Confirm your account, linked');
    assert.match(String(mail.html), /^Welcome linked! <a href="[^"]+">Confirm my account<\/a>$/u);
    const href = hrefOf(mail);
    const link = new URL(href);
    assert.equal(`${link.origin}${link.pathname}`, `${server.url}/confirmUser`);
    assert.deepEqual(Object.fromEntries(link.searchParams), { client_id: clientId, user_name: 'linked', confirmation_code: await server.latestCode('linked') });
    // Text-only readers get the same link.
    assert.ok(mail.text?.includes(href));

    const page = await fetch(href);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/u);
    assert.match(await page.text(), /Registration confirmed/u);
    const state = await userState(server.client(), poolId, 'linked');
    assert.equal(state.status, 'CONFIRMED');
    assert.equal(state.attributes.email_verified, 'true');
    const events = log.forPool(poolId);
    assert.deepEqual(events.map((e) => [e.triggerSource, e.userName, e.callerContext.clientId]), [['PostConfirmation_ConfirmSignUp', 'linked', clientId]]);
    assert.equal((events[0]!.request.userAttributes as Record<string, string>)['cognito:user_status'], 'CONFIRMED');

    // The link is spent: a second visit shows the status error and runs nothing.
    const again = await fetch(href);
    assert.equal(again.status, 400);
    assert.match(await again.text(), /User cannot be confirmed\. Current status is CONFIRMED/u);
    assert.equal(log.forPool(poolId).length, 1);
  });

  test('CONFIRM_WITH_LINK with a CustomMessage body: its {##…##} becomes the link', async () => {
    const { clientId } = await createPool(server.client(), {
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'hello@example.com' },
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK' },
      LambdaConfig: { CustomMessage: functionArn('custom-message') },
    });
    await server.client().send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'customlink',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'customlink@example.net' }],
        ClientMetadata: { emailSubject: 'One more step', emailMessage: 'Hi {username}, {##finish here##}.' },
      }),
    );
    const mail = await smtp.waitFor('customlink@example.net');
    assert.equal(mail.subject, 'One more step');
    assert.match(String(mail.html), /^Hi customlink, <a href="[^"]+">finish here<\/a>\.$/u);
    assert.equal(new URL(hrefOf(mail)).searchParams.get('confirmation_code'), await server.latestCode('customlink'));
  });

  test('the default link template, for a pool that only switches DefaultEmailOption', async () => {
    const { clientId } = await createPool(server.client(), { VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK' } });
    await signUp(server.client(), clientId, 'plainlink', 'plainlink@example.net');
    const mail = await smtp.waitFor('plainlink@example.net');
    assert.equal(mail.subject, 'Your verification link');
    assert.match(String(mail.html), /^Please click the link below to verify your email address\. <a href="[^"]+">Verify Email<\/a>/u);
    assert.equal(mail.from?.value[0]?.address, 'no-reply@verificationemail.com');
    assert.equal((await fetch(hrefOf(mail))).status, 200);
  });
});

interface Received {
  mail: ParsedMail;
  secure: boolean;
}

/** An SMTP server with TLS (implicit or STARTTLS) that counts connections and notes whether each mail came encrypted. */
async function startTlsSmtp(options: { implicit: boolean; key: Buffer; cert: Buffer }) {
  const received: Received[] = [];
  let connections = 0;
  const server = new SMTPServer({
    secure: options.implicit,
    key: options.key,
    cert: options.cert,
    authOptional: true,
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ mail, secure: session.secure });
          callback();
        })
        .catch(callback);
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('SMTP URL options: TLS and pooled connections', () => {
  let key: Buffer;
  let cert: Buffer;
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'userpool-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    key = readFileSync(join(dir, 'key.pem'));
    cert = readFileSync(join(dir, 'cert.pem'));
  });

  async function deliverThrough(smtpUrl: string, usernames: string[]) {
    const server = await startTestServer({ args: ['--smtp-url', smtpUrl] });
    try {
      const { clientId } = await createPool(server.client());
      const entries: OutboxEntry[] = [];
      for (const username of usernames) {
        await signUp(server.client(), clientId, username, `${username}@example.net`);
        entries.push(await settled(server, username));
      }
      return entries;
    } finally {
      await server.stop();
    }
  }

  test('smtps:// uses implicit TLS; tls.* options in the URL reach the TLS layer; one pooled connection carries every mail', async () => {
    const smtp = await startTlsSmtp({ implicit: true, key, cert });
    try {
      const entries = await deliverThrough(`smtps://127.0.0.1:${smtp.port}?tls.rejectUnauthorized=false`, ['tls1', 'tls2', 'tls3']);
      assert.deepEqual(entries.map((e) => e.status), ['sent', 'sent', 'sent']);
      assert.deepEqual(smtp.received.map((r) => [r.mail.to && !Array.isArray(r.mail.to) ? r.mail.to.text : '', r.secure]), [
        ['tls1@example.net', true],
        ['tls2@example.net', true],
        ['tls3@example.net', true],
      ]);
      assert.equal(smtp.connections(), 1);
    } finally {
      await smtp.close();
    }
  });

  test('without that option the self-signed certificate is refused and the message waits for a retry', async () => {
    const smtp = await startTlsSmtp({ implicit: true, key, cert });
    try {
      const [entry] = await deliverThrough(`smtps://127.0.0.1:${smtp.port}`, ['untrusted']);
      assert.equal(entry?.status, 'pending');
      assert.match(entry?.lastError ?? '', /self[- ]signed certificate/u);
      assert.equal(smtp.received.length, 0);
    } finally {
      await smtp.close();
    }
  });

  test('smtp:// with requireTLS=true upgrades with STARTTLS before sending', async () => {
    const smtp = await startTlsSmtp({ implicit: false, key, cert });
    try {
      const [entry] = await deliverThrough(`smtp://127.0.0.1:${smtp.port}?requireTLS=true&tls.rejectUnauthorized=false`, ['starttls']);
      assert.equal(entry?.status, 'sent');
      assert.equal(smtp.received[0]?.secure, true);
    } finally {
      await smtp.close();
    }
  });
});
