// The workspace the integration and e2e tiers open: the repository's bundled runbooks, the seed guide
// as-is (a .txt, the way on-call guides often arrive), two Markdown files without runnable steps
// that must not be listed as runbooks, and the tiers' own runbooks from test/fixtures/workspace
// (copied as they are; e.g. runbooks/runner-checks.md, which the runner tests run for real).
// test/integration/workspace-layout.json names the paths.
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../scripts/vscode-server.mjs';

export const layout = JSON.parse(
  readFileSync(join(repoRoot, 'test', 'integration', 'workspace-layout.json'), 'utf8'),
);
export const seedSource = join(repoRoot, '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt');

/** Fills `dir` (created if missing) and returns the paths the tests look for, absolute. */
export function prepareWorkspace(dir) {
  if (!existsSync(seedSource)) {
    throw new Error(`The seed guide is missing: ${seedSource} (shared/ must sit beside the repository).`);
  }
  const put = (rel, text) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  mkdirSync(join(dir, layout.runbooksDir), { recursive: true });
  const runbooks = readdirSync(join(repoRoot, 'runbooks')).filter((n) => n.endsWith('.md'));
  for (const name of runbooks)
    copyFileSync(join(repoRoot, 'runbooks', name), join(dir, layout.runbooksDir, name));
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  mkdirSync(dirname(join(dir, layout.seed)), { recursive: true });
  copyFileSync(seedSource, join(dir, layout.seed));
  put(
    layout.notRunbook,
    '# Team notes\n\nThis folder holds notes, not runbooks: nothing here is a step to run.\n\n- Rotation starts on Mondays.\n',
  );
  put(
    layout.pinnable,
    '# On-call contacts\n\nDatabase: the platform team.\nNetwork: the infrastructure team.\n',
  );
  // Workspace settings, so the same workspace works in code-server and in desktop VS Code:
  // list .txt guides too, and try to choose the shell, which a workspace must never be able to do.
  put(
    '.vscode/settings.json',
    JSON.stringify(
      { 'runbookDebugger.runbookGlobs': ['**/*.md', '**/*.txt'], 'runbookDebugger.shell': '/bin/false' },
      null,
      2,
    ),
  );
  return {
    dir,
    runbooks: runbooks.map((n) => join(dir, layout.runbooksDir, n)),
    seed: join(dir, layout.seed),
  };
}
