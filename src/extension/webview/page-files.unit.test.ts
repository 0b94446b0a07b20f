import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPageFiles } from './page-files';

let root = '';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'rb-page-files-'));
  mkdirSync(join(root, 'dist', 'webview'), { recursive: true });
  mkdirSync(join(root, 'media'));
  writeFileSync(join(root, 'dist', 'webview', 'results.js'), 'results();\n');
  writeFileSync(join(root, 'dist', 'webview', 'output.js'), 'output();\n');
  writeFileSync(join(root, 'media', 'webview.css'), 'body{}');
  writeFileSync(join(root, 'media', 'results.css'), '.results-app{}');
});

after(() => rmSync(root, { recursive: true, force: true }));

test('a view with its own sheet gets the shared sheet, then its own', () => {
  const r = readPageFiles(root, 'results');
  assert.ok(r.ok);
  assert.equal(r.files.code, 'results();\n');
  assert.deepEqual(r.files.styles, ['body{}', '.results-app{}']);
  assert.deepEqual(r.files.sourceMap, ['dist', 'webview', 'results.js.map']);
});

test('a view without its own sheet gets the shared one only', () => {
  const r = readPageFiles(root, 'output');
  assert.ok(r.ok);
  assert.deepEqual(r.files.styles, ['body{}']);
});

test('a missing bundle is a message naming the file, not an exception', () => {
  const r = readPageFiles(root, 'profile');
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.error, /dist\/webview\/profile\.js\) is missing .*npm run build/);
});

test('a name that could leave dist/webview is refused', () => {
  for (const bad of ['../extension', 'results/../../x', '', 'Results']) {
    const r = readPageFiles(root, bad);
    assert.equal(r.ok, false, bad);
    assert.match(r.ok ? '' : r.error, /is not a webview name/);
  }
});
