import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchFrames, matchedShare, matchedTrackTime, parseQuery, singleFrame } from './search';
import { nodeNamed, profileOf } from './test-support';

// root 100: main 90 (self 10) → parse 50, render 30 (self 20) → parse 10 (recursion via render); idle 10
const p = profileOf([
  [
    'app:main@src/main.ts:1',
    10,
    ['app:parse@src/parse.ts:7', 50],
    ['ui:render@src/ui.ts:3', 20, ['app:parse@src/parse.ts:7', 10]],
  ],
  ['idle', 10],
]);

function matched(query: string): string[] {
  const { matcher } = parseQuery(query);
  assert.ok(matcher);
  const m = matchFrames(p.strings, p.frames, matcher);
  const names: string[] = [];
  m.forEach((v, f) => v && names.push(p.strings[p.frames.name[f] as number] as string));
  return names;
}

test('substring search is case-insensitive over name, file and package', () => {
  assert.deepEqual(matched('PARSE'), ['parse']);
  assert.deepEqual(matched('ui.ts'), ['render']);
  assert.deepEqual(matched('app'), ['main', 'parse']);
  assert.deepEqual(matched('nothing-like-this'), []);
});

test('/regex/ search, with its own flags, and a clear error for a bad one', () => {
  assert.deepEqual(matched('/^(main|idle)$/'), ['main', 'idle']);
  assert.deepEqual(matched('/^Main$/'), ['main'], 'no flags: case-insensitive');
  assert.deepEqual(matched('/^Main$/s'), [], 'flags given: as written');
  const bad = parseQuery('/(unclosed/');
  assert.equal(bad.matcher, undefined);
  assert.match(bad.error ?? '', /not a regular expression/);
  assert.deepEqual(parseQuery('   '), {});
});

test('the share counts each stack once, even when a match recurses below another', () => {
  const { matcher } = parseQuery('parse');
  const m = matchFrames(p.strings, p.frames, matcher!);
  assert.deepEqual(matchedShare(p.tree, m), { weight: 60, of: 100, nodes: 2 });
  const both = matchFrames(p.strings, p.frames, parseQuery('/parse|render/')!.matcher!);
  assert.deepEqual(
    matchedShare(p.tree, both),
    { weight: 80, of: 100, nodes: 2 },
    'parse under render is inside render',
  );
  const all = matchFrames(p.strings, p.frames, () => true);
  assert.deepEqual(matchedShare(p.tree, all), { weight: 100, of: 100, nodes: 2 });
});

test('the share within a zoomed node', () => {
  const render = nodeNamed(p, 'render');
  const m = matchFrames(p.strings, p.frames, parseQuery('parse')!.matcher!);
  assert.deepEqual(matchedShare(p.tree, m, render), { weight: 10, of: 30, nodes: 1 });
  const self = singleFrame(p.frames, p.tree.frame[render] as number);
  assert.deepEqual(matchedShare(p.tree, self, render), { weight: 30, of: 30, nodes: 1 });
  assert.deepEqual(singleFrame(p.frames, 999), new Uint8Array(p.frames.length));
});

test('time in matching calls on a track counts nested matching calls once', () => {
  // frame 0 = a, 1 = b: a[0,10] > b[1,4] > a[2,3]; b[5,6]; a[12,20]
  const events = {
    length: 5,
    start: Float64Array.from([0, 1, 2, 5, 12]),
    end: Float64Array.from([10, 4, 3, 6, 20]),
    depth: Uint16Array.from([0, 1, 2, 1, 0]),
    frame: Int32Array.from([0, 1, 0, 1, 0]),
  };
  assert.equal(matchedTrackTime(events, Uint8Array.from([1, 0])), 18);
  assert.equal(matchedTrackTime(events, Uint8Array.from([0, 1])), 4);
  assert.equal(matchedTrackTime(events, Uint8Array.from([1, 1])), 18);
  assert.equal(matchedTrackTime(events, Uint8Array.from([0, 0])), 0);
});
