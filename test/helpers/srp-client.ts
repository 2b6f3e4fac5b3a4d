/**
 * @module The client half of USER_SRP_AUTH (sign-in spec §6.2), computed by amazon-cognito-identity-js's
 * own AuthenticationHelper rather than by the server's code, for tests that send InitiateAuth and
 * RespondToAuthChallenge themselves, e.g. to two different instances.
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

// identity-js declares neither AuthenticationHelper nor its BigInteger; these are the parts used here.
interface BigNumber {
  toString(radix: number): string;
}
interface Helper {
  getLargeAValue(done: (err: unknown, a: BigNumber) => void): void;
  getPasswordAuthenticationKey(username: string, password: string, B: BigNumber, salt: BigNumber, done: (err: unknown, key: Uint8Array) => void): void;
}
const require = createRequire(import.meta.url);
const identity = require('amazon-cognito-identity-js') as {
  AuthenticationHelper: new (poolName: string) => Helper;
  DateHelper: new () => { getNowString(): string };
};
const BigInteger = (require('amazon-cognito-identity-js/lib/BigInteger.js') as { default: new (hex: string, radix: number) => BigNumber }).default;

export interface SrpClient {
  /** `SRP_A` for InitiateAuth's AuthParameters. */
  srpA: string;
  /** ChallengeResponses for PASSWORD_VERIFIER, from the ChallengeParameters InitiateAuth returned. */
  answer(challenge: Record<string, string>, password: string): Promise<Record<string, string>>;
}

export async function srpClient(poolId: string): Promise<SrpClient> {
  const poolName = poolId.split('_')[1] ?? '';
  const helper = new identity.AuthenticationHelper(poolName);
  const a = await new Promise<BigNumber>((resolve, reject) => helper.getLargeAValue((err, value) => (err ? reject(err) : resolve(value))));
  return {
    srpA: a.toString(16),
    answer: async (challenge, password) => {
      const userId = challenge.USER_ID_FOR_SRP ?? '';
      const key = await new Promise<Uint8Array>((resolve, reject) =>
        helper.getPasswordAuthenticationKey(userId, password, new BigInteger(challenge.SRP_B ?? '', 16), new BigInteger(challenge.SALT ?? '', 16), (err, value) =>
          err ? reject(err) : resolve(value),
        ),
      );
      // As CognitoUser.authenticateUserDefaultAuth signs: pool name, user id, secret block, timestamp.
      const timestamp = new identity.DateHelper().getNowString();
      const message = Buffer.concat([Buffer.from(poolName), Buffer.from(userId), Buffer.from(challenge.SECRET_BLOCK ?? '', 'base64'), Buffer.from(timestamp)]);
      return {
        USERNAME: userId,
        PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK ?? '',
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: createHmac('sha256', key).update(message).digest('base64'),
      };
    },
  };
}
