import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  formatBytes,
  formatDuration,
  parseBytes,
  parseCores,
  parseDuration,
  parseNumber,
  parsePercent,
  parseWithUnit,
} from './units';

test('sizes as kubectl, docker, nvidia-smi, torch and coreutils print them', () => {
  assert.equal(parseBytes('45Mi'), 45 * 2 ** 20);
  assert.equal(parseBytes('1.5Gi'), 1.5 * 2 ** 30);
  assert.equal(parseBytes('512Ki'), 512 * 1024);
  assert.equal(parseBytes('500M'), 500e6);
  assert.equal(parseBytes('128974848000m'), 128974848);
  assert.equal(parseBytes('5.629MiB'), 5.629 * 2 ** 20);
  assert.equal(parseBytes('147kB'), 147e3);
  assert.equal(parseBytes('1e+03kB'), 1e6);
  assert.equal(parseBytes('0B'), 0);
  assert.equal(parseBytes('41834 MiB'), 41834 * 2 ** 20);
  assert.equal(parseBytes('304192 KiB'), 304192 * 1024);
  assert.equal(parseBytes('23G', 'binary'), 23 * 2 ** 30);
  assert.equal(parseBytes('23G'), 23e9);
  assert.equal(parseBytes('128974848'), 128974848);
  for (const bad of ['', 'N/A', '<unknown>', '--', 'MiB', '12 apples', '1..2Mi', 'Infinity']) {
    assert.equal(parseBytes(bad), null, bad);
  }
});

test('cpu, durations, percentages, unit words', () => {
  assert.equal(parseCores('250m'), 0.25);
  assert.equal(parseCores('2'), 2);
  assert.equal(parseCores('3000000n'), 0.003);
  assert.equal(parseCores('<unknown>'), null);
  assert.equal(parseDuration('2s'), 2);
  assert.equal(parseDuration('500ms'), 0.5);
  assert.equal(parseDuration('3m'), 180);
  assert.equal(parseDuration('1.5 h'), 5400);
  assert.equal(parseDuration('12 parsecs'), null);
  assert.equal(parsePercent('97.1%'), 97.1);
  assert.equal(parsePercent('100 %'), 100);
  assert.equal(parsePercent('N/A'), null);
  assert.equal(parseWithUnit('690.03 W', 'W'), 690.03);
  assert.equal(parseWithUnit('N/A', 'W'), null);
  assert.equal(parseNumber('1e+03'), 1000);
  assert.equal(parseNumber('0x10'), null);
});

test('property: a size printed with any binary unit parses back to the same byte count', () => {
  const units = ['Ki', 'Mi', 'Gi', 'Ti', 'KiB', 'MiB', 'GiB', 'TiB'];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.constantFrom(...units),
      fc.boolean(),
      (n, u, space) => {
        const scale = 1024 ** (['K', 'M', 'G', 'T'].indexOf(u[0] as string) + 1);
        assert.equal(parseBytes(`${n}${space ? ' ' : ''}${u}`), n * scale);
      },
    ),
  );
});

test('property: decimal sizes and millicores round-trip', () => {
  fc.assert(
    fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (x) => {
      const text = x.toPrecision(6);
      const v = parseBytes(`${text}kB`);
      assert.ok(v !== null && Math.abs(v - Number(text) * 1000) <= 1e-6 * Math.max(1, v));
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10_000_000 }), (m) => {
      assert.ok(Math.abs((parseCores(`${m}m`) as number) - m / 1000) < 1e-9);
    }),
  );
});

test('property: parsers never throw and return null or a finite number on arbitrary text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), (s) => {
      for (const f of [parseBytes, parseCores, parseDuration, parsePercent, parseNumber]) {
        const v = f(s);
        assert.ok(v === null || Number.isFinite(v), `${f.name}(${JSON.stringify(s)})`);
      }
    }),
  );
});

test('property: formatDuration and formatBytes print something parseable back within rounding', () => {
  fc.assert(
    fc.property(fc.double({ min: 0.002, max: 86400, noNaN: true }), (s) => {
      const text = formatDuration(s).replace(' ', '');
      const back = parseDuration(text.replace('min', 'm'));
      assert.ok(back !== null && Math.abs(back - s) / s < 0.06, `${s} → ${text} → ${back}`);
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 50 }), (b) => {
      const back = parseBytes(formatBytes(b));
      assert.ok(back !== null && Math.abs(back - b) / b < 0.06, `${b} → ${formatBytes(b)}`);
    }),
  );
});
