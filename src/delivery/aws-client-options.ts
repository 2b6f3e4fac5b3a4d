/** @module Endpoint, Region and credentials for the AWS clients this server uses (Lambda, SNS). */

/** Placeholder keys for local endpoints, which accept any signature; never sent to AWS itself. */
const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDLOCALUSERPOOL', secretAccessKey: 'local-endpoint-accepts-any-signature' };

export interface AwsClientOptions {
  region: string;
  endpoint?: string;
  credentials?: typeof LOCAL_CREDENTIALS;
}

/**
 * A loopback endpoint (an emulator, a test double) gets static placeholder credentials so a
 * developer needs no AWS account; anything else uses the SDK's standard provider chain
 * (environment, shared config, SSO, instance role).
 */
export function awsClientOptions(endpoint: string | undefined, region: string): AwsClientOptions {
  if (!endpoint) return { region };
  return isLocal(endpoint) ? { region, endpoint, credentials: LOCAL_CREDENTIALS } : { region, endpoint };
}

function isLocal(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.replace(/^\[|\]$/gu, '');
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/u.test(host);
}

/** `arn:aws:lambda:eu-west-1:123456789012:function:name` → `eu-west-1`. */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region && /^[a-z]{2}(-[a-z]+)+-\d$/u.test(region) ? region : undefined;
}
