import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSince } from './since';

const NOW = new Date('2024-05-01T12:00:00Z');
const at = (text: string): string => {
  const r = parseSince(text, NOW);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
  return r.date.toISOString();
};

test('spans count back from now, and combine', () => {
  assert.equal(at('30m'), '2024-05-01T11:30:00.000Z');
  assert.equal(at('2h'), '2024-05-01T10:00:00.000Z');
  assert.equal(at('1d'), '2024-04-30T12:00:00.000Z');
  assert.equal(at('1w'), '2024-04-24T12:00:00.000Z');
  assert.equal(at('90s'), '2024-05-01T11:58:30.000Z');
  assert.equal(at('1h30m'), '2024-05-01T10:30:00.000Z');
  assert.equal(at('1.5h'), '2024-05-01T10:30:00.000Z');
  assert.equal(at(' 2H '), '2024-05-01T10:00:00.000Z');
});

test('ISO times with a zone are exact; without one they are local', () => {
  assert.equal(at('2024-04-30T08:15Z'), '2024-04-30T08:15:00.000Z');
  assert.equal(at('2024-04-30T08:15:30+02:00'), '2024-04-30T06:15:30.000Z');
  assert.equal(at('2024-04-30T08:15:30+0200'), '2024-04-30T06:15:30.000Z');
  assert.equal(at('2024-04-30 08:15'), new Date(2024, 3, 30, 8, 15).toISOString());
  assert.equal(at('2024-04-30'), new Date(2024, 3, 30).toISOString());
});

test('anything else is a clear error', () => {
  for (const bad of ['', 'yesterday', '2h ago', '-2h', '2024-02-31', '2024-13-01T00:00Z', '5', '3x']) {
    const r = parseSince(bad, NOW);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.match(r.error, /30m, 2h, 1d/, bad);
  }
});
