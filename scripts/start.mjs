// `npm start`: build and package the extension, install the .vsix into a local code-server (a real
// VS Code in the browser, installed into .vscode-test/ on first use), open a workspace with the
// bundled runbooks, print the URL, and keep serving until Ctrl+C.
// The workspace links to runbooks/ in this repository, so edits made in VS Code land in the repo.
// It is trusted (Workspace Trust off for this session): it is our own folder.
// Settings and installed extensions persist in .vscode-test/start between runs.
//   PORT=8081 npm start   serve on another port (default 8080, or a free one if 8080 is taken)
import { existsSync, lstatSync, mkdirSync, symlinkSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  cacheRoot,
  ensureCodeServer,
  freePort,
  repoRoot,
  SetupError,
  startCodeServer,
} from './vscode-server.mjs';
import { formatSize, packageRunbookDebugger } from './package.mjs';

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function main() {
  ensureCodeServer();
  console.log('Building and packaging the extension...');
  const vsix = packageRunbookDebugger();
  console.log(`${vsix.path} (${formatSize(vsix.bytes)})`);

  const stateDir = join(cacheRoot, 'start');
  const workspace = join(stateDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const link = join(workspace, 'runbooks');
  if (!existsSync(link) && !isLink(link)) {
    try {
      symlinkSync(join(repoRoot, 'runbooks'), link, 'dir');
    } catch {
      cpSync(join(repoRoot, 'runbooks'), link, { recursive: true });
    }
  }

  const wanted = Number(process.env.PORT ?? 8080);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  const server = await startCodeServer({
    folder: workspace,
    stateDir,
    vsix: [vsix.path],
    trusted: true,
    port,
  });
  console.log(`\nRunbook Debugger is running in VS Code at:\n\n    ${server.url}\n`);
  console.log('Open it in a browser and click the Runbooks icon in the activity bar. Ctrl+C stops it.');
  console.log(`(code-server log: ${server.logFile})`);
  const { code, signal } = await server.exited;
  console.error(`code-server exited (${signal ?? `exit ${code}`}). Its log:\n${server.logTail()}`);
  process.exit(1);
}

function isLink(p) {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

main().catch((err) => {
  console.error(err instanceof SetupError ? err.message : err);
  process.exit(1);
});
