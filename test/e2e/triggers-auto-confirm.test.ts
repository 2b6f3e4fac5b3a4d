/**
 * @module The `postConfirmationOnAutoConfirm` switch: by default a PreSignUp auto-confirmation runs
 * no PostConfirmation (spec §6.2); with the switch on it does, with the CONFIRMED user's attributes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { EventLog, fixturePath, functionArn } from '../fixtures/trigger-fixtures.ts';
import { writeConfig } from '../helpers/cognito.ts';
import { PASSWORD, createPool } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const LAMBDA_CONFIG = { PreSignUp: functionArn('pre-sign-up'), PostConfirmation: functionArn('post-confirmation') };

for (const enabled of [false, true]) {
  describe(`postConfirmationOnAutoConfirm ${enabled ? 'on' : 'off (default)'}`, () => {
    const log = new EventLog();
    let server: TestServer;
    before(async () => {
      const config = {
        ...(enabled ? { postConfirmationOnAutoConfirm: true } : {}),
        functions: {
          [functionArn('pre-sign-up')]: { module: fixturePath('pre-sign-up') },
          [functionArn('post-confirmation')]: { module: fixturePath('post-confirmation') },
        },
      };
      server = await startTestServer({ args: ['--config', writeConfig(config)], env: { USERPOOL_FIXTURE_LOG: log.file } });
    });
    after(() => server.stop());

    test(enabled ? 'an auto-confirmed sign-up runs PostConfirmation' : 'an auto-confirmed sign-up runs no PostConfirmation', async () => {
      const idp = server.client();
      const { poolId, clientId } = await createPool(idp, { LambdaConfig: LAMBDA_CONFIG });
      const out = await idp.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: 'eager',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'eager@example.com' }],
          ClientMetadata: { autoConfirmUser: 'true', autoVerifyEmail: 'true' },
        }),
      );
      assert.equal(out.UserConfirmed, true);
      const events = log.forPool(poolId);
      if (!enabled) {
        assert.deepEqual(events.map((e) => e.triggerSource), ['PreSignUp_SignUp']);
        return;
      }
      assert.deepEqual(events.map((e) => e.triggerSource), ['PreSignUp_SignUp', 'PostConfirmation_ConfirmSignUp']);
      assert.deepEqual(events[1]?.request, {
        userAttributes: { sub: out.UserSub!, email: 'eager@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
        clientMetadata: { autoConfirmUser: 'true', autoVerifyEmail: 'true' },
      });
      assert.equal(events[1]?.callerContext.clientId, clientId);
    });
  });
}
