/** @module Code delivery, first cut: the outbox and real SMTP mail with the pool's template (issue 2 item 6). */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfirmSignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';

/** Polls the outbox until `username`'s newest message was sent or a try failed; no timing assertion. */
async function settled(server: TestServer, username: string) {
  for (let i = 0; i < 400; i++) {
    const last = (await server.outbox(username)).at(-1);
    if (last && (last.status === 'sent' || last.lastError)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the message to ${username} was never tried`);
}

describe('delivery over SMTP', () => {
  let smtp: TestSmtp;
  let server: TestServer;
  before(async () => {
    smtp = await startSmtp();
    server = await startTestServer({ args: ['--smtp-url', smtp.url] });
  });
  after(async () => {
    await server.stop();
    await smtp.close();
  });

  it("sends the default template from Cognito's default sender, with {####} replaced by the code", async () => {
    const { clientId } = await createPool(server.client());
    await signUp(server.client(), clientId, 'mailed', 'mailed@example.com');
    const mail = await smtp.waitFor('mailed@example.com');
    const code = await server.latestCode('mailed');
    assert.equal(mail.from?.value[0]?.address, 'no-reply@verificationemail.com');
    assert.equal(mail.subject, 'Your verification code');
    assert.equal(mail.text?.trim(), `Your verification code is ${code}.`);
    assert.ok(!mail.text?.includes('{####}'));
    // The code from the mail confirms the user: the mail is the real channel, not a copy.
    const fromMail = /\b(\d{6})\b/u.exec(mail.text ?? '')?.[1];
    assert.equal(fromMail, code);
    await server.client().send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'mailed', ConfirmationCode: fromMail! }));
    const entry = await settled(server, 'mailed');
    assert.equal(entry.status, 'sent');
    assert.equal(entry.medium, 'EMAIL');
    assert.equal(entry.destination, 'mailed@example.com');
    assert.equal(entry.from, 'no-reply@verificationemail.com');
  });

  it("uses a DEVELOPER pool's own template and SES identity as sender", async () => {
    const { clientId } = await createPool(server.client(), {
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/team@example.org' },
      VerificationMessageTemplate: {
        DefaultEmailOption: 'CONFIRM_WITH_CODE',
        EmailSubject: 'Welcome to Example',
        EmailMessage: 'Hello {username}, your code is {####}. See you soon.',
      },
    });
    await signUp(server.client(), clientId, 'custom', 'custom@example.com');
    const mail = await smtp.waitFor('custom@example.com');
    const code = await server.latestCode('custom');
    assert.equal(mail.subject, 'Welcome to Example');
    assert.equal(mail.text?.trim(), `Hello custom, your code is ${code}. See you soon.`);
    assert.equal(mail.from?.value[0]?.address, 'team@example.org');
  });
});

describe('delivery when the mail server is down', () => {
  let server: TestServer;
  before(async () => {
    // A port that was free a moment ago and has nothing listening now.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    server = await startTestServer({ args: ['--smtp-url', `smtp://127.0.0.1:${port}`] });
  });
  after(() => server.stop());

  it('still answers SignUp and ConfirmSignUp, and records the failure in the outbox for retry', async () => {
    const { clientId } = await createPool(server.client());
    const out = await signUp(server.client(), clientId, 'offline', 'offline@example.com');
    assert.equal(out.UserConfirmed, false);
    const entry = await settled(server, 'offline');
    // A refused connection is worth retrying: the message waits for the next try.
    assert.equal(entry.status, 'pending');
    assert.match(entry.lastError ?? '', /ECONNREFUSED/u);
    assert.ok(entry.attempts >= 1);
    await server.client().send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'offline', ConfirmationCode: entry.code! }));
  });
});
