// The gates fail for real: the repository's own ESLint config rejects a `vscode` import in src/core
// and webview/ (the core must stay plain Node, the webviews plain browser code), while allowing it in
// src/extension; and the Prettier config flags unformatted code. Linted as text with a path inside
// the repository, so no file is written into the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

const repoRoot = resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: repoRoot });
const VSCODE_IMPORT = "import * as vscode from 'vscode';\n\nexport const name = vscode.env.appName;\n";

async function restrictedImportErrors(relativePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(VSCODE_IMPORT, { filePath: join(repoRoot, relativePath) });
  assert.ok(result, 'ESLint returned no result');
  assert.equal(result.messages.filter((m) => m.fatal).length, 0, 'the snippet should parse');
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2)
    .map((m) => m.message);
}

test('a vscode import in src/core fails lint', async () => {
  const errors = await restrictedImportErrors('src/core/lint-gate-probe.ts');
  assert.equal(errors.length, 1, 'expected exactly one no-restricted-imports error');
  assert.match(errors[0] ?? '', /vscode/);
});

test('a vscode import in webview/ fails lint', async () => {
  assert.equal((await restrictedImportErrors('webview/lint-gate-probe.ts')).length, 1);
});

test('a vscode import in src/extension is allowed', async () => {
  assert.deepEqual(await restrictedImportErrors('src/extension/lint-gate-probe.ts'), []);
});

test('the Prettier config flags unformatted code and accepts formatted code', async () => {
  const filepath = join(repoRoot, 'src/core/format-gate-probe.ts');
  const options = { ...(await prettier.resolveConfig(filepath)), filepath };
  const messy = 'export const  x = {a:1,\n b : "two"}\n';
  assert.equal(await prettier.check(messy, options), false);
  assert.equal(await prettier.check(await prettier.format(messy, options), options), true);
});
