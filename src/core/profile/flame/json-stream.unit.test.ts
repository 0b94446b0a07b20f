import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamJson } from './json-stream';
import { ProfileError } from './errors';

async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function collect(text: string, size: number, streamKeys = ['items']) {
  const members: Record<string, unknown> = {};
  const elements: Record<string, unknown[]> = {};
  const r = await streamJson(chunked(text, size), {
    streamKeys: new Set(streamKeys),
    what: 'test.json',
    maxMemberBytes: 1 << 20,
    onElements: (k, items) => (elements[String(k)] ??= []).push(...items),
    onMember: (k, v) => (members[k] = v),
  });
  return { members, elements, r };
}

const DOC = JSON.stringify({
  a: 'x"}]{[\\',
  items: [{ s: 'é}"\\', n: [1, [2, { q: ']' }]] }, 12.5e3, 'str,ing', null, true, [], {}],
  b: { nested: [1, 2, 3] },
  c: -0.5,
  'k"ey': 'ünï',
});

test('streamed elements and whole members equal JSON.parse, for every chunk size', async () => {
  const expected = JSON.parse(DOC) as Record<string, unknown>;
  for (const size of [1, 2, 3, 5, 7, 64, 4096]) {
    const { members, elements } = await collect(DOC, size);
    assert.deepEqual(elements.items, expected.items, `chunk ${size}`);
    const { items: _items, ...rest } = expected;
    assert.deepEqual(members, rest, `chunk ${size}`);
  }
});

test('a root array is streamed; an unterminated one (Chrome allows it) reports the cut tail', async () => {
  const full = await collect('[{"a":1}, {"b":2}]', 3);
  assert.deepEqual(full.elements.null, [{ a: 1 }, { b: 2 }]);
  assert.equal(full.r.unterminated, undefined);
  const open = await collect('[{"a":1}, {"b":2},\n\n', 4);
  assert.deepEqual(open.elements.null, [{ a: 1 }, { b: 2 }]);
  assert.deepEqual(open.r.unterminated, { ignoredBytes: 0 });
  const cut = await collect('[{"a":1}, {"b":2}, {"c":', 4);
  assert.deepEqual(cut.elements.null, [{ a: 1 }, { b: 2 }]);
  assert.equal(cut.r.unterminated?.ignoredBytes, 5);
});

test('a truncated object, garbage and trailing data are clear errors', async () => {
  await assert.rejects(collect(DOC.slice(0, DOC.length - 9), 16), (e: unknown) => {
    assert.ok(e instanceof ProfileError);
    assert.match(e.message, /ends unexpectedly/);
    return true;
  });
  await assert.rejects(collect('hello', 16), /expected "\{" or "\["/);
  await assert.rejects(collect('{"a":1} x', 16), /unexpected data after the end/);
  await assert.rejects(collect('{"items":[{"a":tru}]}', 16), /malformed JSON between bytes/);
  await assert.rejects(collect('', 16), /empty document/);
  // stray closers and separators where a value belongs (found by fuzzing: they used to spin)
  await assert.rejects(collect('{"items":[1,2}', 16), /at byte 13: unexpected "\}"/);
  await assert.rejects(collect('{"items":[{"a":1}:{"b":2}]}', 4), /unexpected ":"/);
  await assert.rejects(collect('{"a":,"b":1}', 16), /unexpected ","/);
});

test('a member over maxMemberBytes is "too-large", not an out-of-memory', async () => {
  const big = JSON.stringify({ blob: 'x'.repeat(3 << 20) });
  await assert.rejects(
    collect(big, 1 << 16),
    (e: unknown) => e instanceof ProfileError && e.code === 'too-large',
  );
});

test('deep nesting is scanned without recursion', async () => {
  const deep = `{"items":[${'['.repeat(200000)}${']'.repeat(200000)}]}`;
  const { elements } = await collect(deep, 1 << 16);
  assert.equal(elements.items?.length, 1);
});
