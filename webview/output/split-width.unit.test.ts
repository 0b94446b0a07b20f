import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPLIT, isNarrow, keyedWidth, listWidthFor, maxListWidth, savedListWidth } from './split-width';

test('the list keeps its chosen width within the limits the panel allows', () => {
  assert.equal(listWidthFor(undefined, 1200), SPLIT.initial);
  assert.equal(listWidthFor(333.4, 1200), 333);
  assert.equal(listWidthFor(10, 1200), SPLIT.min);
  // The output keeps its room: in a 700 px panel the list stops at 700 - 240.
  assert.equal(maxListWidth(700), 460);
  assert.equal(listWidthFor(900, 700), 460);
  // A panel too small for both columns still gives the list its minimum (the page stacks then).
  assert.equal(maxListWidth(300), SPLIT.min);
  assert.equal(listWidthFor(undefined, 300), SPLIT.min);
});

test('arrow keys move the divider a step (Shift: a big step); Home and End go to the limits', () => {
  assert.equal(keyedWidth('ArrowRight', false, 260, 1200), 276);
  assert.equal(keyedWidth('ArrowLeft', false, 260, 1200), 244);
  assert.equal(keyedWidth('ArrowRight', true, 260, 1200), 324);
  assert.equal(keyedWidth('ArrowLeft', true, 150, 1200), SPLIT.min);
  assert.equal(keyedWidth('ArrowRight', true, 940, 1200), 960);
  assert.equal(keyedWidth('Home', false, 500, 1200), SPLIT.min);
  assert.equal(keyedWidth('End', false, 260, 1200), 960);
  for (const key of ['ArrowUp', 'Enter', 'a', 'Tab'])
    assert.equal(keyedWidth(key, false, 260, 1200), undefined);
});

test('narrow panels stack the list above the output', () => {
  assert.equal(isNarrow(SPLIT.narrowBelow - 1), true);
  assert.equal(isNarrow(SPLIT.narrowBelow), false);
});

test('a saved width is used only when it is a sane number', () => {
  assert.equal(savedListWidth({ listWidth: 312 }), 312);
  assert.equal(savedListWidth({ listWidth: 312.6 }), 313);
  for (const state of [
    undefined,
    null,
    'wide',
    {},
    { listWidth: '300' },
    { listWidth: NaN },
    { listWidth: Infinity },
    { listWidth: 20 },
    { listWidth: 1e9 },
  ])
    assert.equal(savedListWidth(state), undefined, JSON.stringify(state));
});
