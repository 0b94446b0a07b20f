// The `runbook` CLI bundled the way scripts/build.mjs bundles it (one CommonJS file for Node, with its
// shebang), built from the sources under test so a child process runs this code, not a stale dist/.
import { build } from 'esbuild';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

export async function bundleCli(outfile: string): Promise<string> {
  await build({
    entryPoints: [MAIN],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'pg-native'],
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'silent',
  });
  return outfile;
}
