/** @module Tests that generated request validation reproduces Cognito's (Coral's) error kinds and exact messages */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateInput, type ValidationResult } from './generated/validators.ts';

const CLIENT_ID = '1example23456789abcdefghij';
const confirm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  ClientId: CLIENT_ID,
  Username: 'alice',
  ConfirmationCode: '123456',
  ...over,
});

function invalid(message: string): ValidationResult {
  return { ok: false, kind: 'InvalidParameterException', message };
}

function serialization(message: string): ValidationResult {
  return { ok: false, kind: 'SerializationException', message };
}

const USERNAME_PATTERN = 'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+';

describe('validateInput: constraint violations (InvalidParameterException)', () => {
  it('reports a missing required member as a null value', () => {
    const input = confirm();
    delete input.Username;
    assert.deepEqual(
      validateInput('ConfirmSignUp', input),
      invalid("1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null"),
    );
  });

  it('treats JSON null like an absent member', () => {
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ Username: null })),
      invalid("1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null"),
    );
    assert.deepEqual(validateInput('ConfirmSignUp', confirm({ SecretHash: null, ClientMetadata: null })), { ok: true });
  });

  it('omits the value of a sensitive member (UsernameType) that fails its pattern', () => {
    // A space is not in [\p{L}\p{M}\p{S}\p{N}\p{P}].
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ Username: 'a b c' })),
      invalid(`1 validation error detected: Value at 'username' failed to satisfy constraint: ${USERNAME_PATTERN}`),
    );
  });

  it('echoes ClientId although the model marks it sensitive, as AWS does', () => {
    const long = 'a'.repeat(129);
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ ClientId: long })),
      invalid(`1 validation error detected: Value '${long}' at 'clientId' failed to satisfy constraint: Member must have length less than or equal to 128`),
    );
  });

  it('echoes a non-sensitive value failing [\\S]+', () => {
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ ConfirmationCode: '123 456' })),
      invalid("1 validation error detected: Value '123 456' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+"),
    );
  });

  it('follows Java, not JavaScript, on which characters \\S excludes', () => {
    // U+00A0 is whitespace for JavaScript's \s but not for Java's, so Cognito accepts it here.
    assert.deepEqual(validateInput('ConfirmSignUp', confirm({ ConfirmationCode: '123\u00a0456' })), { ok: true });
  });

  it('uses the plural prefix and model member order for several errors', () => {
    const long = 'b'.repeat(129);
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ ConfirmationCode: 'x y', ClientId: long })),
      invalid(
        '2 validation errors detected: ' +
          `Value '${long}' at 'clientId' failed to satisfy constraint: Member must have length less than or equal to 128; ` +
          "Value 'x y' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
      ),
    );
  });

  it('reports length-min before pattern for one member', () => {
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ Username: '' })),
      invalid(
        "2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
          `Value at 'username' failed to satisfy constraint: ${USERNAME_PATTERN}`,
      ),
    );
  });

  it('checks integer bounds and echoes the number as JSON text', () => {
    assert.deepEqual(
      validateInput('ListUsers', { UserPoolId: 'us-east-1_abc123', Limit: 61 }),
      invalid("1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"),
    );
    assert.deepEqual(validateInput('ListUsers', { UserPoolId: 'us-east-1_abc123', Limit: 60 }), { ok: true });
  });

  it('reports a bad enum element once for the whole list, echoing it the Java way', () => {
    assert.deepEqual(
      validateInput('CreateUserPoolClient', {
        UserPoolId: 'us-east-1_abc123',
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_EVERYTHING'],
      }),
      invalid(
        "1 validation error detected: Value '[ALLOW_USER_SRP_AUTH, ALLOW_EVERYTHING]' at 'explicitAuthFlows' failed to satisfy constraint: " +
          'Member must satisfy constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ' +
          'ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]',
      ),
    );
  });

  it('paths into list elements are 1-based with .member', () => {
    assert.deepEqual(
      validateInput('SignUp', {
        ClientId: CLIENT_ID,
        Username: 'alice',
        Password: 'Passw0rd!',
        UserAttributes: [{ Name: 'email', Value: 'a@example.com' }, { Value: 'x' }],
      }),
      invalid("1 validation error detected: Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null"),
    );
  });

  it('hides values nested in a sensitive structure', () => {
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ UserContextData: { EncodedData: 'e'.repeat(131073) } })),
      invalid("1 validation error detected: Value at 'userContextData.encodedData' failed to satisfy constraint: Member must have length less than or equal to 131072"),
    );
  });
});

describe('validateInput: wrong JSON types (SerializationException)', () => {
  it('rejects a number where a string is expected', () => {
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ Username: 42 })),
      serialization("Unexpected type for member 'Username': expected string"),
    );
  });

  it('rejects a string for a structure, an array for a map, a string for an integer', () => {
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ AnalyticsMetadata: 'endpoint' })),
      serialization("Unexpected type for member 'AnalyticsMetadata': expected object"),
    );
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ ClientMetadata: ['a'] })),
      serialization("Unexpected type for member 'ClientMetadata': expected object"),
    );
    assert.deepEqual(
      validateInput('ListUsers', { UserPoolId: 'us-east-1_abc123', Limit: '10' }),
      serialization("Unexpected type for member 'Limit': expected integer"),
    );
  });

  it('names nested locations without echoing values', () => {
    assert.deepEqual(
      validateInput('SignUp', { ClientId: CLIENT_ID, Username: 'alice', UserAttributes: [{ Name: 'email', Value: 7 }] }),
      serialization("Unexpected type for member 'UserAttributes[0].Value': expected string"),
    );
    assert.deepEqual(
      validateInput('ConfirmSignUp', confirm({ ClientMetadata: { source: 1 } })),
      serialization("Unexpected type for member 'ClientMetadata{}': expected string"),
    );
  });

  it('lets a type error win over constraint errors', () => {
    assert.deepEqual(
      validateInput('ConfirmSignUp', { ClientId: 'x'.repeat(500), ConfirmationCode: true }),
      serialization("Unexpected type for member 'ConfirmationCode': expected string"),
    );
  });

  it('rejects a body that is not a JSON object', () => {
    assert.deepEqual(validateInput('ConfirmSignUp', [confirm()]), serialization('Unexpected type for the request body: expected object'));
  });
});

describe('validateInput: accepted input', () => {
  it('accepts a valid ConfirmSignUp', () => {
    assert.deepEqual(validateInput('ConfirmSignUp', confirm({ ForceAliasCreation: true, ClientMetadata: { source: 'web' } })), { ok: true });
  });

  it('ignores unknown members, as Cognito does', () => {
    assert.deepEqual(validateInput('ConfirmSignUp', confirm({ Unexpected: { deeply: ['nested'] }, username: 5 })), { ok: true });
  });

  it('treats an absent body as {} (required members then fail)', () => {
    const r = validateInput('ConfirmSignUp', undefined);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'InvalidParameterException');
    assert.match(!r.ok ? r.message : '', /^3 validation errors detected: Value null at 'clientId'/);
  });

  // Design choice: an operation name outside the model is a programming error (routing must
  // already have answered UnknownOperationException), so validateInput throws instead of
  // returning a client-facing result.
  it('throws RangeError for an unknown operation', () => {
    assert.throws(() => validateInput('NoSuchOperation', {}), RangeError);
    assert.throws(() => validateInput('toString', {}), RangeError);
  });
});
