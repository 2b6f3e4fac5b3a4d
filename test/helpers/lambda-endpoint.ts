/**
 * @module A loopback server speaking the AWS Lambda Invoke wire protocol
 * (`POST /2015-03-31/functions/{FunctionName}/invocations`) that runs fixture handlers: results as
 * JSON, function errors as `X-Amz-Function-Error: Unhandled` with Lambda's error document, and
 * service errors with Lambda's status codes, `x-amzn-ErrorType` headers and bodies.
 */
import { randomUUID } from 'node:crypto';
import { fixturePath, type FixtureName } from '../fixtures/trigger-fixtures.ts';
import { startHttpEndpoint, type RecordedRequest, type Reply } from './http-endpoint.ts';

export type LambdaServiceError = 'AccessDeniedException' | 'ResourceNotFoundException' | 'TooManyRequestsException' | 'ServiceException';

export type FunctionSpec =
  /** Runs the fixture's handler. */
  | { fixture: FixtureName }
  /** Answers with a Lambda service error, `times` times (always when absent), then runs `fixture`. */
  | { error: LambdaServiceError; times?: number; fixture?: FixtureName };

export interface Invocation {
  functionName: string;
  request: RecordedRequest;
}

export interface LambdaEndpoint {
  url: string;
  invocations: Invocation[];
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations(\?.*)?$/u;

export async function startLambdaEndpoint(functions: Record<string, FunctionSpec>, account = '000000000000'): Promise<LambdaEndpoint> {
  const invocations: Invocation[] = [];
  const errorsSent = new Map<string, number>();
  const endpoint = await startHttpEndpoint(async (request): Promise<Reply> => {
    const match = INVOKE_PATH.exec(request.path);
    if (request.method !== 'POST' || !match) {
      return serviceError(404, 'UnknownOperationException', { message: null });
    }
    const given = decodeURIComponent(match[1]!);
    // Lambda takes a name, a partial ARN or a full ARN, optionally with a qualifier.
    const name = /:function:([^:]+)/u.exec(given)?.[1] ?? given.split(':')[0]!;
    invocations.push({ functionName: name, request });
    const region = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\//u.exec(String(request.headers.authorization ?? ''))?.[1] ?? 'us-east-1';
    const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
    const spec = functions[name];
    if (!spec) return serviceError(404, 'ResourceNotFoundException', { Type: 'User', Message: `Function not found: ${arn}` });

    if ('error' in spec) {
      const sent = errorsSent.get(name) ?? 0;
      if (spec.times === undefined || sent < spec.times || !spec.fixture) {
        errorsSent.set(name, sent + 1);
        return lambdaError(spec.error, arn);
      }
    }
    const fixture = spec.fixture!;
    const module = (await import(fixturePath(fixture))) as { handler: (event: unknown) => Promise<unknown> };
    const headers = { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': randomUUID() };
    try {
      const result = await module.handler(JSON.parse(request.body));
      return { status: 200, headers, body: JSON.stringify(result ?? null) };
    } catch (error) {
      const e = error as Error;
      return {
        status: 200,
        headers: { ...headers, 'X-Amz-Function-Error': 'Unhandled' },
        body: JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }),
      };
    }
  });
  return { url: endpoint.url, invocations, close: endpoint.close };
}

function lambdaError(type: LambdaServiceError, arn: string): Reply {
  switch (type) {
    case 'AccessDeniedException':
      return serviceError(403, type, {
        Message: `User: arn:aws:sts::000000000000:assumed-role/cognito-idp/userpool is not authorized to perform: lambda:InvokeFunction on resource: ${arn} because no resource-based policy allows the lambda:InvokeFunction action`,
      });
    case 'ResourceNotFoundException':
      return serviceError(404, type, { Type: 'User', Message: `Function not found: ${arn}` });
    case 'TooManyRequestsException':
      return serviceError(429, type, { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' });
    case 'ServiceException':
      return serviceError(500, type, { Type: 'Service', Message: 'An internal error occurred.' });
  }
}

function serviceError(status: number, type: string, body: Record<string, unknown>): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': type, 'x-amzn-RequestId': randomUUID() },
    body: JSON.stringify(body),
  };
}
