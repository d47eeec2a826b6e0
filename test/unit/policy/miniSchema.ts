/**
 * Just enough JSON Schema (draft 2020-12) to judge single values against the keywords
 * extension/policy.schema.json uses, so a test can compare the schema with src/core/policy.ts.
 * Throws on a keyword it does not know, so a schema change cannot slip past unjudged.
 */
export type Schema = Record<string, unknown>;

const KNOWN = new Set([
  'type',
  'enum',
  'const',
  'oneOf',
  'items',
  'minItems',
  'uniqueItems',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  // Annotations (format is an annotation by default in draft 2020-12; patterns carry the rule).
  'format',
  'default',
  'description',
  'examples',
]);

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** True when `value` is valid against `schema`. */
export function schemaAccepts(schema: Schema, value: unknown): boolean {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword)) throw new Error(`miniSchema does not know keyword ${keyword}`);
  }
  const type = jsonType(value);
  if (schema.type !== undefined) {
    const wanted = schema.type as string;
    const matches = wanted === type || (wanted === 'number' && type === 'integer');
    if (!matches) return false;
  }
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value))
    return false;
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((option) => option === value)) {
    return false;
  }
  if (schema.oneOf !== undefined) {
    const matching = (schema.oneOf as Schema[]).filter((branch) => schemaAccepts(branch, value));
    if (matching.length !== 1) return false;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < (schema.minLength as number)) return false;
    if (schema.maxLength !== undefined && length > (schema.maxLength as number)) return false;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern as string, 'u').test(value)) {
      return false;
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < (schema.minimum as number)) return false;
    if (schema.maximum !== undefined && value > (schema.maximum as number)) return false;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < (schema.minItems as number)) return false;
    if (schema.uniqueItems === true) {
      const seen = value.map((item) => JSON.stringify(item));
      if (new Set(seen).size !== seen.length) return false;
    }
    if (
      schema.items !== undefined &&
      !value.every((item) => schemaAccepts(schema.items as Schema, item))
    ) {
      return false;
    }
  }
  return true;
}
