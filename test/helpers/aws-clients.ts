/** @module Runs the real Python clients (boto3, the AWS CLI) the way users do, cut off from the machine's own AWS setup. */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PYTHON = process.env.USERPOOL_TEST_PYTHON ?? 'python3';
export const AWS_CLI = process.env.USERPOOL_TEST_AWS_CLI ?? 'aws';

/**
 * The machine's AWS profile, files and endpoints must not steer a run: every AWS_ variable goes,
 * the config files point nowhere, and `extra` (keys, region) is all the client sees.
 */
export function isolatedAwsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    AWS_CONFIG_FILE: join(tmpdir(), 'userpool-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'userpool-no-aws-credentials'),
    AWS_PAGER: '',
    ...extra,
  };
}

/** boto3's version, or undefined when the interpreter cannot import it (the tests then skip). */
export function boto3Version(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import boto3; print(boto3.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** `aws-cli/1.x.y` or `aws-cli/2.x.y`, or undefined when there is no working `aws` (the tests then skip). */
export function awsCliVersion(): string | undefined {
  const probe = spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8', env: isolatedAwsEnv() });
  return probe.status === 0 ? (probe.stdout || probe.stderr).trim().split(' ')[0] : undefined;
}

export interface ClientRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `python3 -c script ...args`; a script reports to the test by printing JSON on stdout. */
export function runPython(script: string, args: string[], env: Record<string, string> = {}): ClientRun {
  const run = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 60_000, env: isolatedAwsEnv(env) });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `aws ...args --output json`, with the credentials and region only from `env`. */
export function runAwsCli(args: string[], env: Record<string, string>): ClientRun {
  const run = spawnSync(AWS_CLI, [...args, '--output', 'json'], { encoding: 'utf8', timeout: 60_000, env: isolatedAwsEnv(env) });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
