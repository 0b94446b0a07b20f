// Strict message validation, shared by every webview and its host. A message is accepted only when
// its `type` is known and every field matches the schema for that type: no missing field, no extra one.
// Tiny on purpose (no dependency): messages are small, flat records.

export type FieldType =
  'string' | 'number' | 'boolean' | 'string?' | 'number?' | 'boolean?' | 'string[]' | 'number[]' | 'unknown';

export type Schema = Record<string, Record<string, FieldType>>;

/** Maps a schema to the union of message types it accepts. */
export type MessageOf<S extends Schema> = {
  [K in keyof S]: { type: K } & { [F in keyof S[K]]: FieldValue<S[K][F]> };
}[keyof S];

type FieldValue<T extends FieldType> = T extends 'string'
  ? string
  : T extends 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'string?'
        ? string | undefined
        : T extends 'number?'
          ? number | undefined
          : T extends 'boolean?'
            ? boolean | undefined
            : T extends 'string[]'
              ? string[]
              : T extends 'number[]'
                ? number[]
                : unknown;

const MAX_STRING = 1_000_000;

function fieldOk(type: FieldType, value: unknown): boolean {
  const optional = type.endsWith('?');
  if (optional && value === undefined) return true;
  switch (type.replace('?', '')) {
    case 'string':
      return typeof value === 'string' && value.length <= MAX_STRING;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.length <= 100_000 && value.every((v) => typeof v === 'string');
    case 'number[]':
      return Array.isArray(value) && value.length <= 10_000_000 && value.every((v) => typeof v === 'number');
    case 'unknown':
      return true;
    default:
      return false;
  }
}

/** Returns the message typed when valid, or an error string saying what is wrong. */
export function validateMessage<S extends Schema>(
  schema: S,
  msg: unknown,
): { ok: true; message: MessageOf<S> } | { ok: false; error: string } {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg))
    return { ok: false, error: 'message is not an object' };
  const record = msg as Record<string, unknown>;
  const type = record['type'];
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(schema, type)) {
    return { ok: false, error: `unknown message type ${JSON.stringify(type)}` };
  }
  const fields = schema[type]!;
  for (const key of Object.keys(record)) {
    if (key !== 'type' && !Object.prototype.hasOwnProperty.call(fields, key)) {
      return { ok: false, error: `unexpected field "${key}" in "${type}" message` };
    }
  }
  for (const [key, fieldType] of Object.entries(fields)) {
    if (!fieldOk(fieldType, record[key]))
      return { ok: false, error: `field "${key}" of "${type}" must be ${fieldType}` };
  }
  return { ok: true, message: msg as MessageOf<S> };
}
