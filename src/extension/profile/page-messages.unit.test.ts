// The host's side of the profile viewer's messages: the strict schema (unknown types and extra
// fields refused), the range checks, and source paths confined to the workspace folders (on a real
// temporary file tree, symlinks included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parsePageMessage, resolveSourcePath, type SourceFs } from './page-messages';

const limits = { objects: 100, classes: 10 };

test('well-formed messages pass', () => {
  for (const m of [
    { type: 'ready' },
    { type: 'cancel' },
    { type: 'retry' },
    { type: 'openSource', file: 'src/a.ts', line: 3, column: 0 },
    { type: 'treemap', node: -1 },
    { type: 'treemap', node: 99 },
    { type: 'retainers', classIndex: 0 },
    { type: 'saveState', state: '{"view":"merged"}' },
  ])
    assert.deepEqual(parsePageMessage(m, limits), { ok: true, message: m }, JSON.stringify(m));
});

test('unknown types, extra or missing fields and wrong types are refused', () => {
  const refused: [unknown, RegExp][] = [
    [{ type: 'runCommand', command: 'rm -rf /' }, /unknown message type/],
    [{ type: 'ready', extra: 1 }, /unexpected field "extra"/],
    [{ type: 'openSource', file: 'a.ts', line: 1, column: 1, exec: true }, /unexpected field "exec"/],
    [{ type: 'openSource', file: 'a.ts', line: 1 }, /field "column"/],
    [{ type: 'openSource', file: 42, line: 1, column: 1 }, /field "file"/],
    [{ type: 'treemap', node: '5' }, /field "node"/],
    [{ type: 'treemap', node: Number.NaN }, /field "node"/],
    [{ type: '__proto__' }, /unknown message type/],
    [null, /not an object/],
    [[{ type: 'ready' }], /not an object/],
    ['ready', /not an object/],
  ];
  for (const [m, why] of refused) {
    const r = parsePageMessage(m, limits);
    assert.equal(r.ok, false, JSON.stringify(m));
    assert.match((r as { error: string }).error, why);
  }
});

test('values out of range are refused', () => {
  const refused: unknown[] = [
    { type: 'openSource', file: '', line: 1, column: 0 },
    { type: 'openSource', file: 'a\0b', line: 1, column: 0 },
    { type: 'openSource', file: 'x'.repeat(5000), line: 1, column: 0 },
    { type: 'openSource', file: 'a.ts', line: -1, column: 0 },
    { type: 'openSource', file: 'a.ts', line: 1.5, column: 0 },
    { type: 'treemap', node: 100 },
    { type: 'treemap', node: -2 },
    { type: 'retainers', classIndex: 10 },
    { type: 'retainers', classIndex: 0.5 },
    { type: 'saveState', state: 'x'.repeat(20_000) },
  ];
  for (const m of refused)
    assert.equal(parsePageMessage(m, limits).ok, false, JSON.stringify(m).slice(0, 80));
  assert.equal(
    parsePageMessage({ type: 'treemap', node: -1 }, { objects: 0, classes: 0 }).ok,
    false,
    'no heap: no treemap',
  );
});

const realFs: SourceFs = {
  realFile(p) {
    try {
      return statSync(p).isFile() ? realpathSync(p) : undefined;
    } catch {
      return undefined;
    }
  },
  realDir(p) {
    try {
      return statSync(p).isDirectory() ? realpathSync(p) : undefined;
    } catch {
      return undefined;
    }
  },
};

test('source paths resolve only to files inside the workspace folders', (t) => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'rb-src-')));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const ws = join(base, 'ws');
  const other = join(base, 'outside');
  mkdirSync(join(ws, 'src', 'lib'), { recursive: true });
  mkdirSync(other);
  writeFileSync(join(ws, 'src', 'lib', 'parse.ts'), 'export {};\n');
  writeFileSync(join(ws, 'main.py'), 'print(1)\n');
  writeFileSync(join(other, 'secret.txt'), 'no\n');
  symlinkSync(join(other, 'secret.txt'), join(ws, 'link.txt'));
  const roots = [ws];
  const r = (f: string): string | undefined => resolveSourcePath(f, roots, realFs);
  const parse = join(ws, 'src', 'lib', 'parse.ts');

  assert.equal(r(parse), parse, 'absolute path inside');
  assert.equal(r('src/lib/parse.ts'), parse, 'relative to the folder');
  assert.equal(r('./src/lib/parse.ts'), parse);
  assert.equal(r(pathToFileURL(parse).href), parse, 'file: URL');
  assert.equal(r('webpack:///./src/lib/parse.ts'), parse, 'bundler URL');
  assert.equal(r('webpack://my-app/./src/lib/parse.ts?abcd'), parse);
  assert.equal(r('/home/ci/build/app/src/lib/parse.ts'), parse, 'captured elsewhere: same tail');
  assert.equal(r('main.py'), join(ws, 'main.py'));

  assert.equal(r(join(other, 'secret.txt')), undefined, 'outside the folders');
  assert.equal(r('../outside/secret.txt'), undefined, 'escaping with ..');
  assert.equal(r('src/../../outside/secret.txt'), undefined);
  assert.equal(r('link.txt'), undefined, 'a symlink pointing outside');
  assert.equal(r(join(ws, 'src')), undefined, 'a directory');
  assert.equal(r('node:internal/modules/cjs/loader'), undefined);
  assert.equal(r('src/lib/missing.ts'), undefined);
  assert.equal(r(''), undefined);
  assert.equal(resolveSourcePath('main.py', [], realFs), undefined, 'no workspace folder');
  assert.equal(resolveSourcePath('main.py', [join(base, 'gone')], realFs), undefined);
});
