// The byte pipeline must give exactly what the slow path gives on the whole output in one piece
// (MaskStream, then TerminalSanitizer), wherever the pipe cut the chunks: text, colour, masking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MASK, Masker } from './mask';
import { StreamPipe, utf8Boundary, type OutputPiece } from './output-pipe';
import { TerminalSanitizer } from './terminal';

interface Collected {
  text: string;
  /** Style of every character, as JSON ('' for plain). */
  styles: string[];
  /** Pieces that went through undecoded. */
  fast: number;
}

function collect(pieces: OutputPiece[]): Collected {
  let text = '';
  const styles: string[] = [];
  let fast = 0;
  for (const p of pieces) {
    const t = p.bytes && p.ascii ? p.bytes.toString('latin1') : p.text!;
    if (p.bytes) fast++;
    const own: string[] = new Array<string>(t.length).fill('');
    for (const s of p.spans) for (let i = s.start; i < s.end; i++) own[i] = JSON.stringify(s.style);
    text += t;
    for (const st of own) styles.push(st);
  }
  return { text, styles, fast };
}

/** The whole output through the slow path in one piece. */
function reference(masker: Masker, bytes: Buffer): Omit<Collected, 'fast'> {
  const s = masker.stream(4096);
  const masked = s.push(bytes.toString('utf8')) + s.flush();
  const clean = new TerminalSanitizer().write(masked);
  const styles = new Array<string>(clean.text.length).fill('');
  for (const sp of clean.spans) for (let i = sp.start; i < sp.end; i++) styles[i] = JSON.stringify(sp.style);
  return { text: clean.text, styles };
}

function throughPipe(masker: Masker, bytes: Buffer, cuts: number[]): Collected {
  const pieces: OutputPiece[] = [];
  const pipe = new StreamPipe('stdout', masker, (p) => pieces.push(p), null, 0);
  let prev = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
    if (c > prev) pipe.write(Buffer.from(bytes.subarray(prev, c)));
    prev = Math.max(prev, c);
  }
  pipe.end();
  return collect(pieces);
}

const SECRET = 'hunter2-very-secret';
const PARTS = [
  'plain log line with words and 123 numbers\n',
  'another line, nothing to see\n',
  'GET /api/v1/items 200 12ms\n',
  'connect postgres://app:pa55word@db:5432/x\n',
  'password=topsecret user=app\n',
  'export PGPASSWORD=hunter22\n',
  'Authorization: Bearer abcdefgh.ijk\n',
  'id AKIAIOSFODNN7EXAMPLE\n',
  `the value ${SECRET} leaked\n`,
  'private_key: "x y z"\n',
  '\x1b[31mred\x1b[0m and \x1b[1;32mbold green\n',
  '\x1b[32mstill green\n',
  'reset\x1b[m here\n',
  'progress 10%\rprogress 20%\r\n',
  'title\x1b]0;evil\x07 after\n',
  'csi \x9b text with \xc2\x9b raw\n',
  'accents: café, naïve, 日本語, emoji 🎉\n',
  'no newline at the end',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\ndef\n-----END RSA PRIVATE KEY-----\n',
  'KEY_ID=abc123 and sk=1\n',
  'some --password s3cr3t flag\n',
  'tokens processed: 12\n',
  'cache key=abc123 hit\n',
  'API-KEY: abcdef123 and Access_Key=zz99zz\n',
  'basic auth failed; Basic dXNlcjpwYXNzd29yZA==\n',
  'bearer is fine here\n',
  'GITHUB ghp_abcdefghijklmnopqrstuvwxyz0123456789 and github_pat_ABCDEFGHIJKLMNOPQRSTUV_xyz\n',
  'aws ASIAABCDEFGHIJKLMNOP akia lower\n',
  'client-secret: s3cr3t-value\n',
  'x pwd=abc\n',
  'Token abcdefghij12\n',
  '\n',
  '\t\tindented\n',
];

test('any mix of output, cut anywhere, gives what the slow path gives in one piece', () => {
  const masker = new Masker([SECRET]);
  let fastPieces = 0;
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...PARTS), { minLength: 1, maxLength: 30 }),
      fc.array(fc.nat(4000), { maxLength: 12 }),
      (parts, rawCuts) => {
        const bytes = Buffer.from(parts.join(''), 'utf8');
        const cuts = rawCuts.map((c) => c % (bytes.length + 1));
        const got = throughPipe(masker, bytes, cuts);
        fastPieces += got.fast;
        const want = reference(masker, bytes);
        assert.equal(got.text, want.text);
        assert.deepEqual(got.styles, want.styles);
      },
    ),
    { numRuns: 400 },
  );
  // Typically ~450: the plain parts between the others go undecoded.
  assert.ok(fastPieces > 200, `only ${fastPieces} pieces took the fast path`);
});

test('plain lines take the fast path; a secret split across two chunks is masked', () => {
  const masker = new Masker([SECRET]);
  const text = 'line one\nline two\n' + `value ${SECRET} end\n` + 'line four\n';
  const bytes = Buffer.from(text);
  const splitAt = text.indexOf(SECRET) + 5;
  const got = throughPipe(masker, bytes, [splitAt]);
  assert.equal(got.text, `line one\nline two\nvalue ${MASK} end\nline four\n`);
  assert.ok(got.fast >= 1, 'the plain lines went through undecoded');
});

test('a keyword split across chunks is still masked (pass|word=, api_|key=)', () => {
  const masker = new Masker();
  for (const [text, cut] of [
    ['x password=abc\n', 6],
    ['x api_key=abcdef\n', 6],
    ['url postgres://u:pw12@h/d\n', 14],
  ] as const) {
    const got = throughPipe(masker, Buffer.from(text), [cut]);
    assert.equal(got.text, masker.mask(text), text);
    assert.ok(got.text.includes(MASK), text);
  }
});

test('an escape sequence split across chunks is removed, its colour kept', () => {
  const bytes = Buffer.from('a \x1b[31mred\x1b[0m b\n');
  for (let cut = 1; cut < bytes.length; cut++) {
    const got = throughPipe(new Masker(), bytes, [cut]);
    assert.equal(got.text, 'a red b\n', `cut at ${cut}`);
    assert.deepEqual(
      got.styles.map((s, i) => (s ? i : -1)).filter((i) => i >= 0),
      [2, 3, 4],
    );
  }
});

test('multi-byte UTF-8 split inside a character comes out whole', () => {
  const text = 'é日本🎉 end\n'.repeat(3);
  const bytes = Buffer.from(text);
  for (let cut = 1; cut < bytes.length; cut++) {
    assert.equal(throughPipe(new Masker(), bytes, [cut]).text, text, `cut at ${cut}`);
  }
});

test('binary output: no control characters get through, invalid UTF-8 is replaced as by the decoder', () => {
  const bytes = Buffer.alloc(200_000);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x >> 16;
  }
  const got = throughPipe(new Masker(), bytes, [1000, 65536, 131072, 150001]);
  // eslint-disable-next-line no-control-regex -- the point of the test
  assert.doesNotMatch(got.text, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  assert.equal(got.text, reference(new Masker(), bytes).text);
});

test('a line longer than the hold-back is released in parts, masking intact', () => {
  const masker = new Masker([SECRET]);
  const long = 'x'.repeat(300_000) + ` token=abcdef ${SECRET} ` + 'y'.repeat(200_000) + '\n';
  const pieces: OutputPiece[] = [];
  const pipe = new StreamPipe('stdout', masker, (p) => pieces.push(p), null, 0);
  const bytes = Buffer.from(long);
  let releasedBeforeEnd = 0;
  for (let at = 0; at < bytes.length; at += 65536) {
    pipe.write(Buffer.from(bytes.subarray(at, at + 65536)));
    if (at + 65536 < bytes.length) releasedBeforeEnd = collect(pieces).text.length;
  }
  pipe.end();
  const got = collect(pieces).text;
  assert.equal(got, masker.mask(long));
  assert.ok(got.includes(`token=${MASK} ${MASK} `));
  assert.ok(releasedBeforeEnd > 400_000, `released ${releasedBeforeEnd} before the line ended`);
});

test('a prompt without a newline is shown after the idle pause, a partial secret is not', async () => {
  const masker = new Masker([SECRET]);
  const pieces: OutputPiece[] = [];
  const pipe = new StreamPipe('stdout', masker, (p) => pieces.push(p), null, 30);
  pipe.write(Buffer.from(`Continue? [y/N] ${SECRET.slice(0, 6)}`));
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(collect(pieces).text, 'Continue? [y/N] ');
  pipe.write(Buffer.from(`${SECRET.slice(6)} ok\n`));
  pipe.end();
  assert.equal(collect(pieces).text, `Continue? [y/N] ${MASK} ok\n`);
});

test('a secret spanning lines, split at its newline, is masked', () => {
  const key = 'line-one-of-key\nline-two-of-key';
  const masker = new Masker([key]);
  const text = `before\n${key}\nafter\n`;
  const bytes = Buffer.from(text);
  for (const cut of [text.indexOf('\nline-two') + 1, text.indexOf('line-one') + 3]) {
    assert.equal(throughPipe(masker, bytes, [cut]).text, `before\n${MASK}\nafter\n`, `cut at ${cut}`);
  }
});

test('utf8Boundary never splits a character', () => {
  const b = Buffer.from('a€b🎉c');
  const starts = new Set([0, 1, 4, 5, 9, 10]);
  for (let at = 0; at <= b.length; at++) {
    const cut = utf8Boundary(b, at);
    assert.ok(cut <= at && (starts.has(cut) || cut === b.length), `at ${at} -> ${cut}`);
  }
});
