/**
 * @module Does ConfirmSignUp's timing tell a known username from an unknown one when the client
 * has PreventUserExistenceErrors ENABLED? Interleaved wrong-code calls for both, medians compared.
 * Run: `npm run bench:existence -- [--samples 400]`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closeTargets, post, targetsFor } from './load.ts';
import { spawnUserpool } from './processes.ts';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '400' } } });
const samples = Number(values.samples);
const dir = mkdtempSync(join(tmpdir(), 'userpool-timing-'));
const configPath = join(dir, 'config.json');
// A limit far above the sample count, so that every call compares a code instead of stopping at the limit.
writeFileSync(configPath, JSON.stringify({ defaultLimits: { confirmAttemptsPerHour: 1_000_000 } }));
const server = await spawnUserpool(join(dir, 'timing.db'), 'timing', { args: ['--config', configPath] });
const [target] = targetsFor([server.url], 1);
const call = async (operation: string, input: unknown) => {
  const reply = await post(target!, operation, Buffer.from(JSON.stringify(input)), 10_000);
  return JSON.parse(reply.body) as Record<string, unknown>;
};

try {
  const pool = (await call('CreateUserPool', { PoolName: 'timing', AutoVerifiedAttributes: ['email'] })) as { UserPool: { Id: string } };
  const client = (await call('CreateUserPoolClient', { UserPoolId: pool.UserPool.Id, ClientName: 'c', PreventUserExistenceErrors: 'ENABLED' })) as { UserPoolClient: { ClientId: string } };
  const ClientId = client.UserPoolClient.ClientId;
  await call('SignUp', { ClientId, Username: 'known', Password: 'Bench-Passw0rd!', UserAttributes: [{ Name: 'email', Value: 'known@example.com' }] });
  const time = async (Username: string) => {
    const started = process.hrtime.bigint();
    const out = await call('ConfirmSignUp', { ClientId, Username, ConfirmationCode: '000000' });
    if (out.__type !== 'CodeMismatchException') throw new Error(`unexpected answer ${JSON.stringify(out)}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  for (let i = 0; i < 50; i++) await time(i % 2 ? 'known' : `warm${i}`);
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < samples; i++) {
    known.push(await time('known'));
    unknown.push(await time(`nobody${i}`));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(JSON.stringify({ samples, knownMedianMs: +median(known).toFixed(3), unknownMedianMs: +median(unknown).toFixed(3), ratio: +(median(unknown) / median(known)).toFixed(3) }));
} finally {
  closeTargets([target!]);
  await server.stop();
}
