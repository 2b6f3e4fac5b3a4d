/**
 * @module What a write of user attributes must respect, given the pool's schema: that each name
 * exists, values fit the attribute's type and bounds, immutable attributes are set at creation
 * only, required ones stay, and an app client writes only what it may.
 */
import { isCustomName, MAX_STRING_LENGTH, type SchemaAttribute } from './attribute-schema.ts';
import { errors, schemaViolations as lines } from './messages.ts';

const NUMBER = /^-?\d+(\.\d+)?$/u;

/** The line of Cognito's schema message for one value, or undefined when the value fits. */
export function valueViolation(attribute: SchemaAttribute | undefined, name: string, value: string): string | undefined {
  if (!attribute) return lines.unknown(name);
  if (value === '') return attribute.Required ? lines.required(name) : undefined;
  switch (attribute.AttributeDataType) {
    case 'String': {
      const c = attribute.StringAttributeConstraints ?? {};
      const min = c.MinLength === undefined ? 0 : Number(c.MinLength);
      const max = c.MaxLength === undefined ? MAX_STRING_LENGTH : Number(c.MaxLength);
      if (value.length < min) return lines.tooShort(name, min);
      if (value.length > max) return lines.tooLong(name, max);
      return undefined;
    }
    case 'Number': {
      if (!NUMBER.test(value)) return lines.notANumber(name);
      const c = attribute.NumberAttributeConstraints ?? {};
      if (c.MinValue !== undefined && Number(value) < Number(c.MinValue)) return lines.belowMinimum(name, c.MinValue);
      if (c.MaxValue !== undefined && Number(value) > Number(c.MaxValue)) return lines.aboveMaximum(name, c.MaxValue);
      return undefined;
    }
    default:
      // Cognito accepts Boolean and DateTime custom declarations but assigns them no value
      // (cloudformation-coverage-roadmap#348); the standard verified flags are Booleans it does take.
      return isCustomName(name) ? lines.noValueType(name, attribute.AttributeDataType) : undefined;
  }
}

/** Who writes: a user-facing call names its app client; `existing` marks a change to a user that exists. */
export interface WriteContext {
  /** The client's WriteAttributes; absent or empty means every attribute but developer-only ones. */
  writable?: readonly string[] | null;
  userFacing: boolean;
  changesExistingUser: boolean;
}

/** Cognito refuses a client's SignUp carrying these (aws/aws-sdk-js#3603): a user proves an address, never asserts it. */
const VERIFIED_FLAGS = new Set(['email_verified', 'phone_number_verified']);

/**
 * Required attributes are always writable (developer guide, "Attribute permissions and scopes");
 * `dev:` attributes and the verified flags never are to an app client. A name the list lacks is
 * refused before the schema is consulted, as Cognito answers NotAuthorized for an unknown name
 * such a client sends.
 */
export function checkWritable(schema: ReadonlyMap<string, SchemaAttribute>, names: readonly string[], context: WriteContext): void {
  if (!context.userFacing) return;
  const list = context.writable && context.writable.length > 0 ? new Set(context.writable) : undefined;
  for (const name of names) {
    if (VERIFIED_FLAGS.has(name)) throw errors.unauthorizedAttribute();
    const attribute = schema.get(name);
    if (attribute?.Required) continue;
    const allowed = list ? list.has(name) : !name.startsWith('dev:');
    if (!allowed) throw errors.unauthorizedAttribute();
  }
}

/** Immutable attributes take a value when the user is created and never again. */
export function checkMutable(schema: ReadonlyMap<string, SchemaAttribute>, names: readonly string[], context: WriteContext): void {
  if (!context.changesExistingUser) return;
  for (const name of names) {
    if (schema.get(name)?.Mutable === false) throw errors.nonMutableAttribute(name);
  }
}

/** Every value's violation, in the order the request listed them, as one error. */
export function checkValues(schema: ReadonlyMap<string, SchemaAttribute>, attributes: Readonly<Record<string, string>>): void {
  const found: string[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    const line = valueViolation(schema.get(name), name, value);
    if (line) found.push(line);
  }
  if (found.length > 0) throw errors.attributesNotConforming(found);
}

/** A new user must bring a value for each required attribute but `sub`, which the server gives. */
export function checkRequired(schema: ReadonlyMap<string, SchemaAttribute>, attributes: Readonly<Record<string, string>>): void {
  const missing = [...schema.values()].filter((a) => a.Required && a.Name !== 'sub' && !attributes[a.Name]).map((a) => lines.required(a.Name));
  if (missing.length > 0) throw errors.attributesNotConforming(missing);
}

/** Deleting removes the value: only names in the schema, never a required one. */
export function checkDeletable(schema: ReadonlyMap<string, SchemaAttribute>, names: readonly string[]): void {
  const found = names.flatMap((name) => {
    const attribute = schema.get(name);
    if (!attribute) return [lines.unknown(name)];
    return attribute.Required ? [lines.required(name)] : [];
  });
  if (found.length > 0) throw errors.attributesNotConforming(found);
}
