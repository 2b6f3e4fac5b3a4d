/**
 * @module A pool's attribute schema: the standard attributes, the declarations CreateUserPool's
 * Schema and AddCustomAttributes add to them, and the rules those declarations must follow
 * (docs/custom-attributes.md has the source of each rule and message).
 */
import { errors } from './messages.ts';

export type AttributeDataType = 'String' | 'Number' | 'DateTime' | 'Boolean';

/** SchemaAttributeType as DescribeUserPool reports it: every member present, the name final. */
export interface SchemaAttribute {
  Name: string;
  AttributeDataType: AttributeDataType;
  DeveloperOnlyAttribute: boolean;
  Mutable: boolean;
  Required: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

/** A declaration as a request carries it: the model leaves every member optional. */
export interface SchemaAttributeInput {
  Name?: string;
  AttributeDataType?: string;
  DeveloperOnlyAttribute?: boolean;
  Mutable?: boolean;
  Required?: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

/** Developer guide, "Custom attributes": at most 50 per pool. */
export const MAX_CUSTOM_ATTRIBUTES = 50;
/** Developer guide: no attribute value is longer than 2048 characters. */
export const MAX_STRING_LENGTH = 2048;

const string = (Name: string, Mutable = true, max = '2048', min = '0'): SchemaAttribute => ({
  Name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable,
  Required: false,
  StringAttributeConstraints: { MinLength: min, MaxLength: max },
});
const boolean = (Name: string): SchemaAttribute => ({ Name, AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false });

/** The standard attributes in the order DescribeUserPool lists them. */
export const STANDARD_SCHEMA: readonly SchemaAttribute[] = [
  { ...string('sub', false, '2048', '1'), Required: true },
  string('name'),
  string('given_name'),
  string('family_name'),
  string('middle_name'),
  string('nickname'),
  string('preferred_username'),
  string('profile'),
  string('picture'),
  string('website'),
  string('email'),
  boolean('email_verified'),
  string('gender'),
  string('birthdate', true, '10', '10'),
  string('zoneinfo'),
  string('locale'),
  string('phone_number'),
  boolean('phone_number_verified'),
  string('address'),
  { Name: 'updated_at', AttributeDataType: 'Number', DeveloperOnlyAttribute: false, Mutable: true, Required: false, NumberAttributeConstraints: { MinValue: '0' } },
  string('identities'),
];

export const STANDARD_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(STANDARD_SCHEMA.map((a) => a.Name));

/**
 * Names a Schema entry may re-declare. The verified flags are built in: Cognito makes a Schema
 * entry named like them a custom attribute (aws-cdk#14175), and `sub` and `identities` are the server's.
 */
const OVERRIDABLE = new Set([...STANDARD_ATTRIBUTE_NAMES].filter((n) => !['sub', 'identities', 'email_verified', 'phone_number_verified'].includes(n)));

export function isCustomName(name: string): boolean {
  return name.startsWith('custom:') || name.startsWith('dev:');
}

/**
 * The declarations a pool keeps (its `Schema` setting) after `requested` is added to `current`.
 * At creation an entry with a standard name re-declares that attribute; otherwise, and always for
 * AddCustomAttributes, the entry is a custom attribute named `custom:<Name>` as given (a Name of
 * `custom:x` becomes `custom:custom:x`, as Cognito does).
 */
export function declareAttributes(current: readonly SchemaAttribute[], requested: readonly SchemaAttributeInput[], mode: 'create' | 'add'): SchemaAttribute[] {
  const out = [...current];
  for (const [index, entry] of requested.entries()) {
    if (entry.Name === undefined) throw errors.customAttributeNameMissing(index + 1);
    const name = entry.Name;
    const declared = mode === 'create' && OVERRIDABLE.has(name) ? standardDeclaration(name, entry) : customDeclaration(name, entry);
    if (out.some((a) => a.Name === declared.Name)) throw errors.attributeAlreadyDeclared(declared.Name);
    out.push(declared);
  }
  const custom = out.filter((a) => isCustomName(a.Name)).length;
  if (custom > MAX_CUSTOM_ATTRIBUTES) throw errors.tooManyCustomAttributes(MAX_CUSTOM_ATTRIBUTES);
  return out;
}

function standardDeclaration(name: string, entry: SchemaAttributeInput): SchemaAttribute {
  const standard = STANDARD_SCHEMA.find((a) => a.Name === name)!;
  if ((entry.AttributeDataType !== undefined && entry.AttributeDataType !== standard.AttributeDataType) || entry.DeveloperOnlyAttribute === true) {
    throw errors.standardAttributeRetyped(name);
  }
  // An entry leaves Mutable and Required false unless it says otherwise (aws-cdk#8624).
  const declared: SchemaAttribute = {
    Name: name,
    AttributeDataType: standard.AttributeDataType,
    DeveloperOnlyAttribute: false,
    Mutable: entry.Mutable === true,
    Required: entry.Required === true,
  };
  return withConstraints(declared, entry, standard);
}

function customDeclaration(name: string, entry: SchemaAttributeInput): SchemaAttribute {
  const type = entry.AttributeDataType;
  if (type !== 'String' && type !== 'Number' && type !== 'DateTime' && type !== 'Boolean') {
    throw errors.attributeDataTypeInvalid();
  }
  if (entry.Required === true) throw errors.requiredCustomAttribute();
  const developerOnly = entry.DeveloperOnlyAttribute === true;
  const declared: SchemaAttribute = {
    Name: developerOnly ? `dev:custom:${name}` : `custom:${name}`,
    AttributeDataType: type,
    DeveloperOnlyAttribute: developerOnly,
    Mutable: entry.Mutable === true,
    Required: false,
  };
  return withConstraints(declared, entry);
}

/** String and Number attributes carry their constraints (empty when none were given); the others none. */
function withConstraints(declared: SchemaAttribute, entry: SchemaAttributeInput, standard?: SchemaAttribute): SchemaAttribute {
  if (declared.AttributeDataType === 'String') {
    const given = entry.StringAttributeConstraints ?? standard?.StringAttributeConstraints ?? {};
    const min = limit(given.MinLength, declared.Name, 'StringAttributeConstraints');
    const max = limit(given.MaxLength, declared.Name, 'StringAttributeConstraints');
    if ((min ?? 0) > MAX_STRING_LENGTH || (max ?? 0) > MAX_STRING_LENGTH) throw errors.stringConstraintTooLong(declared.Name, MAX_STRING_LENGTH);
    if (min !== undefined && max !== undefined && min > max) throw errors.lengthBoundsReversed(declared.Name);
    return { ...declared, StringAttributeConstraints: pick(given, ['MinLength', 'MaxLength']) };
  }
  if (declared.AttributeDataType === 'Number') {
    const given = entry.NumberAttributeConstraints ?? standard?.NumberAttributeConstraints ?? {};
    const min = limit(given.MinValue, declared.Name, 'NumberAttributeConstraints', true);
    const max = limit(given.MaxValue, declared.Name, 'NumberAttributeConstraints', true);
    if (min !== undefined && max !== undefined && min > max) throw errors.valueBoundsReversed(declared.Name);
    return { ...declared, NumberAttributeConstraints: pick(given, ['MinValue', 'MaxValue']) };
  }
  return declared;
}

const INTEGER = /^\d+$/u;
const NUMBER = /^-?\d+(\.\d+)?$/u;

function limit(value: string | undefined, name: string, member: string, signed = false): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(signed ? NUMBER : INTEGER).test(value)) throw errors.constraintInvalid(member, name);
  return Number(value);
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (source[key] !== undefined && source[key] !== '') out[key] = source[key];
  return out;
}

/**
 * The declarations a pool's `Schema` setting holds. Pools stored before declarations were kept
 * whole hold the entries as given; those are read the way they were then described (a custom
 * `custom:` name unless standard), with the defaults of a new declaration.
 */
export function storedDeclarations(setting: unknown): SchemaAttribute[] {
  if (!Array.isArray(setting)) return [];
  return (setting as SchemaAttributeInput[]).map((entry) => {
    const name = entry.Name ?? '';
    if (entry.AttributeDataType !== undefined && typeof entry.Mutable === 'boolean' && typeof entry.Required === 'boolean' && (isCustomName(name) || OVERRIDABLE.has(name))) {
      return entry as SchemaAttribute;
    }
    if (OVERRIDABLE.has(name)) return { ...STANDARD_SCHEMA.find((a) => a.Name === name)!, ...(entry as object) } as SchemaAttribute;
    return {
      Name: isCustomName(name) ? name : `custom:${name}`,
      AttributeDataType: (entry.AttributeDataType as AttributeDataType | undefined) ?? 'String',
      DeveloperOnlyAttribute: entry.DeveloperOnlyAttribute === true,
      Mutable: entry.Mutable === true,
      Required: false,
      ...(entry.StringAttributeConstraints ? { StringAttributeConstraints: entry.StringAttributeConstraints } : {}),
      ...(entry.NumberAttributeConstraints ? { NumberAttributeConstraints: entry.NumberAttributeConstraints } : {}),
    };
  });
}

/** The whole schema of a pool: the standard attributes as re-declared, then the custom ones in the order they were added. */
export function poolSchema(setting: unknown): SchemaAttribute[] {
  const declared = storedDeclarations(setting);
  const standard = STANDARD_SCHEMA.map((a) => declared.find((d) => d.Name === a.Name) ?? a);
  return [...standard, ...declared.filter((d) => !STANDARD_ATTRIBUTE_NAMES.has(d.Name))];
}

export function schemaByName(setting: unknown): ReadonlyMap<string, SchemaAttribute> {
  return new Map(poolSchema(setting).map((a) => [a.Name, a]));
}
