/** @module A pool's SchemaAttributes as DescribeUserPool lists them: the standard attributes, then the custom ones. */
import { poolSchema, type SchemaAttribute } from '../../domain/attribute-schema.ts';
import type { PoolRecord } from '../../domain/records.ts';

export { STANDARD_ATTRIBUTE_NAMES, STANDARD_SCHEMA } from '../../domain/attribute-schema.ts';

export function schemaAttributes(pool: PoolRecord): SchemaAttribute[] {
  return poolSchema(pool.settings.Schema);
}

/** A UserPoolType with the schema in Cognito's shape, whatever the generic shaping made of the stored declarations. */
export function withSchemaAttributes(shape: Record<string, unknown>, pool: PoolRecord): Record<string, unknown> {
  return { ...shape, SchemaAttributes: schemaAttributes(pool) };
}
