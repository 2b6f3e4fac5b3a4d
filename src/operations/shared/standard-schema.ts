/** @module The standard attributes every user pool has, as DescribeUserPool lists them in SchemaAttributes. */

const string = (Name: string, Mutable = true, max = '2048', min = '0') => ({
  Name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable,
  Required: false,
  StringAttributeConstraints: { MinLength: min, MaxLength: max },
});
const boolean = (Name: string) => ({ Name, AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false });

export const STANDARD_SCHEMA = [
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
  { ...string('identities'), Mutable: true },
];

export const STANDARD_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(STANDARD_SCHEMA.map((a) => a.Name));
