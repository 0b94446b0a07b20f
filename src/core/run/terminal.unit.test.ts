import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TerminalSanitizer, sanitizeText } from './terminal';
import { RingBuffer } from './ring-buffer';

test('colour becomes spans, the text is plain', () => {
  const r = new TerminalSanitizer().write(
    'ok \x1b[1;31mFAIL\x1b[0m done \x1b[38;5;208mx\x1b[38;2;1;2;255my\x1b[m',
  );
  assert.equal(r.text, 'ok FAIL done xy');
  assert.deepEqual(r.spans, [
    { start: 3, end: 7, style: { bold: true, fg: 1 } },
    { start: 13, end: 14, style: { fg: 208 } },
    { start: 14, end: 15, style: { fg: '#0102ff' } },
  ]);
});

test('cursor movement, erase, titles, hyperlinks and C1 controls are removed', () => {
  const input =
    'a\x1b[2J\x1b[H\x1b[10;5Hb\x1b]0;evil title\x07c\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\d\x1bPdcs\x1b\\e\x9b2Kf\x1b7g\bh\x07i';
  assert.equal(sanitizeText(input), 'abclinkdefghi');
});

test('CR and CRLF become one newline, also when split across chunks', () => {
  const t = new TerminalSanitizer();
  assert.equal(t.write('10%\r20%\r').text + t.write('\n').text + t.write('x\r\ny').text, '10%\n20%\nx\ny');
});

test('a sequence split at any byte gives the same result as in one piece', () => {
  const input = 'pre \x1b[31mred\x1b[0m \x1b]2;title\x1b\\mid \x1b[1A\x1b[32;1mgreen\x1b[m\r\nend';
  const whole = new TerminalSanitizer().write(input);
  fc.assert(
    fc.property(fc.array(fc.nat(input.length), { maxLength: 6 }), (cuts) => {
      const t = new TerminalSanitizer();
      let text = '';
      let prev = 0;
      for (const p of [...new Set(cuts)].sort((a, b) => a - b).concat(input.length)) {
        text += t.write(input.slice(prev, p)).text;
        prev = p;
      }
      assert.equal(text, whole.text);
    }),
  );
});

test('an unterminated OSC cannot swallow all later output', () => {
  const t = new TerminalSanitizer();
  const out = t.write('\x1b]0;' + 'x'.repeat(10_000) + 'visible');
  assert.ok(out.text.endsWith('visible'));
});

test('ring buffer keeps the last `limit` characters and counts the rest', () => {
  const r = new RingBuffer(10);
  for (const s of ['abc', 'defgh', 'ijklmnop', 'q']) r.push(s);
  assert.equal(r.toString(), 'hijklmnopq');
  assert.equal(r.dropped, 7);
  r.push('x'.repeat(25));
  assert.equal(r.toString(), 'x'.repeat(10));
  assert.equal(r.length, 10);
  assert.throws(() => new RingBuffer(0), /positive/);
});
