/**
 * @module Request bodies as AWS JSON 1.1 services read them: a member whose value is `null` is a
 * member that was not sent. Required members then fail validation with "Member must not be null",
 * optional ones take their defaults, and no handler ever sees a `null` it did not expect.
 */

/**
 * The reviver costs a call per value, so it runs only on the rare body that spells `null` at all.
 * Returning undefined from a reviver deletes an object member and leaves a hole in an array, which
 * the validators reject as a value of the wrong type, as AWS rejects a null list element.
 */
export function parseRequestJson(text: string): unknown {
  return text.includes('null') ? JSON.parse(text, dropNull) : JSON.parse(text);
}

function dropNull(_key: string, value: unknown): unknown {
  return value === null ? undefined : value;
}
