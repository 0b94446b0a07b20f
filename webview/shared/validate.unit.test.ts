import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateMessage, type Schema } from './validate';

const schema = {
  select: { runId: 'string' },
  cancel: { runId: 'string', force: 'boolean?' },
} satisfies Schema;

test('accepts a well-formed message', () => {
  const r = validateMessage(schema, { type: 'select', runId: 'r1' });
  assert.equal(r.ok, true);
});

test('optional fields may be missing', () => {
  assert.equal(validateMessage(schema, { type: 'cancel', runId: 'r1' }).ok, true);
  assert.equal(validateMessage(schema, { type: 'cancel', runId: 'r1', force: true }).ok, true);
});

test('rejects unknown types, extra fields, wrong field types and non-objects', () => {
  const cases: unknown[] = [
    { type: 'exec', command: 'rm -rf /' },
    { type: 'select', runId: 'r1', command: 'id' },
    { type: 'select', runId: 42 },
    { type: 'select' },
    { type: '__proto__' },
    { type: 'toString' },
    null,
    'select',
    [{ type: 'select', runId: 'r1' }],
  ];
  for (const c of cases) {
    const r = validateMessage(schema, c);
    assert.equal(r.ok, false, `should reject ${JSON.stringify(c)}`);
    if (!r.ok) assert.match(r.error, /\S/);
  }
});

test('rejects non-finite numbers and oversized strings', () => {
  const s = { point: { x: 'number' }, text: { body: 'string' } } satisfies Schema;
  assert.equal(validateMessage(s, { type: 'point', x: Number.NaN }).ok, false);
  assert.equal(validateMessage(s, { type: 'text', body: 'x'.repeat(1_000_001) }).ok, false);
});
