import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  colourKey,
  hashString,
  heatColour,
  heatOf,
  packageColour,
  packageHue,
  themeKindOf,
  type ThemeKind,
} from './colour';

const THEMES: ThemeKind[] = ['light', 'dark', 'high-contrast', 'high-contrast-light'];

function hsl(c: string): [number, number, number] {
  const m = /^hsl\((\d+), (\d+)%, (\d+)%\)$/.exec(c);
  assert.ok(m, `not an hsl() colour: ${c}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

test('FNV-1a matches the published test vectors', () => {
  assert.equal(hashString(''), 0x811c9dc5);
  assert.equal(hashString('a'), 0xe40c292c);
  assert.equal(hashString('foobar'), 0xbf9cf968);
});

test('a package always gets the same colour, and different packages mostly differ', () => {
  for (const theme of THEMES)
    assert.deepEqual(packageColour('react-dom', theme), packageColour('react-dom', theme));
  const packages = [
    'node:internal',
    'react',
    'react-dom',
    'lodash',
    'express',
    'libc.so.6',
    'torch',
    'numpy',
    'java.util',
    'vmlinux',
  ];
  const hues = new Set(packages.map(packageHue));
  assert.ok(hues.size >= 9, `hues: ${[...hues].join(', ')}`);
  for (const h of hues) assert.ok(h >= 0 && h < 360);
});

test('labels stay readable: light fills with dark text on light themes, dark fills with light text otherwise', () => {
  for (const key of ['react', 'libc.so.6', 'x']) {
    for (const theme of THEMES) {
      const c = packageColour(key, theme);
      const [, , l] = hsl(c.fill);
      if (theme === 'light' || theme === 'high-contrast-light') {
        assert.ok(l >= 70, `${theme} ${key}: lightness ${l}`);
        assert.equal(c.text, '#1e1e1e');
      } else {
        assert.ok(l <= 45, `${theme} ${key}: lightness ${l}`);
        assert.equal(c.text, '#f3f3f3');
      }
    }
  }
});

test('heat goes from pale yellow to saturated red, clamped, and NaN is cold', () => {
  for (const theme of THEMES) {
    const [h0, s0] = hsl(heatColour(0, theme).fill);
    const [h1, s1] = hsl(heatColour(1, theme).fill);
    assert.equal(h0, 55);
    assert.equal(h1, 0);
    assert.ok(s1 > s0);
    assert.deepEqual(heatColour(2, theme), heatColour(1, theme));
    assert.deepEqual(heatColour(Number.NaN, theme), heatColour(0, theme));
    let prevHue = 360;
    for (let t = 0; t <= 1; t += 0.1) {
      const [h] = hsl(heatColour(t, theme).fill);
      assert.ok(h <= prevHue, 'hue falls towards red as heat rises');
      prevHue = h;
    }
  }
});

test('heatOf is a square-root scale of self over the hottest function', () => {
  assert.equal(heatOf(25, 100), 0.5);
  assert.equal(heatOf(100, 100), 1);
  assert.equal(heatOf(0, 100), 0);
  assert.equal(heatOf(5, 0), 0);
  assert.equal(heatOf(200, 100), 1);
});

test('colour key: package, else file, else name; theme kind from the body classes', () => {
  assert.equal(colourKey('react', 'a.js', 'f'), 'react');
  assert.equal(colourKey(undefined, 'a.js', 'f'), 'a.js');
  assert.equal(colourKey(undefined, undefined, 'f'), 'f');
  const classes = (...names: string[]) => ({ contains: (t: string) => names.includes(t) });
  assert.equal(themeKindOf(classes('vscode-light')), 'light');
  assert.equal(themeKindOf(classes('vscode-dark')), 'dark');
  assert.equal(themeKindOf(classes('vscode-high-contrast')), 'high-contrast');
  assert.equal(
    themeKindOf(classes('vscode-high-contrast', 'vscode-high-contrast-light')),
    'high-contrast-light',
  );
  assert.equal(themeKindOf(classes()), 'dark');
});
