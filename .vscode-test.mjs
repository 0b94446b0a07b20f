// The integration suites on a desktop with VS Code: `npm run test:vscode` (@vscode/test-cli downloads
// VS Code and runs test/integration/*.integration.test.ts against this folder as the extension under
// development). Where VS Code cannot be downloaded (CI, the dev container), test/harness/integration.mjs
// runs the same suites in code-server instead; `npm test` uses that.
// @vscode/test-electron starts VS Code with Workspace Trust disabled, so the Restricted Mode suite
// reports itself skipped here, with the reason; the code-server harness runs it in a real untrusted window.
import { defineConfig } from '@vscode/test-cli';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './scripts/vscode-server.mjs';
import { isRestrictedSuite, suiteNames, suitesDir } from './test/harness/build-tests.mjs';
import { prepareWorkspace } from './test/harness/workspace.mjs';

const workspace = join(cacheRoot, 'desktop-workspace');
rmSync(workspace, { recursive: true, force: true });
prepareWorkspace(workspace);

const suites = suiteNames();
const common = { workspaceFolder: workspace, mocha: { ui: 'bdd', timeout: 30_000 } };

export default defineConfig([
  {
    ...common,
    label: 'integration',
    files: suites.filter((n) => !isRestrictedSuite(n)).map((n) => join(suitesDir, n)),
  },
  { ...common, label: 'restricted', files: suites.filter(isRestrictedSuite).map((n) => join(suitesDir, n)) },
]);
