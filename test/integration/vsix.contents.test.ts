// What the packaged .vsix (a zip) holds: the bundles, the bundled runbooks and the manifest, and
// none of the sources, tests, fixtures or dependencies. Run by test/harness/integration.mjs right
// after it packages; RUNBOOK_VSIX names the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import yauzl from 'yauzl';

const vsix = process.env.RUNBOOK_VSIX;

function listEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

test('the .vsix holds what the installed extension needs and nothing else', async (t) => {
  if (!vsix)
    return t.skip('RUNBOOK_VSIX is not set: run through test/harness/integration.mjs, which packages first');
  const names = await listEntries(vsix);
  console.log(`${vsix}: ${names.length} files, ${(statSync(vsix).size / 1024).toFixed(1)} KiB`);

  for (const required of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/cli.js']) {
    assert.ok(names.includes(required), `${required} is missing`);
  }
  assert.ok(
    names.some((n) => /^extension\/runbooks\/[^/]+\.md$/.test(n)),
    'no bundled runbook (extension/runbooks/*.md)',
  );

  const forbidden: [string, RegExp][] = [
    ['sources', /^extension\/(src|webview|bench|scripts)\//],
    ['tests', /^extension\/test\//],
    ['dependencies', /(^|\/)node_modules\//],
    ['TypeScript', /\.ts$/],
    ['fixtures', /fixtures\//],
    ['the shared data', /(^|\/)shared\//],
    ['source maps', /\.map$/],
    ['test results or local VS Code', /^extension\/(test-results|\.vscode-test|\.ci|\.vscode)\//],
  ];
  for (const [what, pattern] of forbidden) {
    const found = names.filter((n) => pattern.test(n));
    assert.deepEqual(found, [], `${what} must not be in the .vsix`);
  }
});

test('the manifest inside the .vsix points at a bundle it contains', async (t) => {
  if (!vsix)
    return t.skip('RUNBOOK_VSIX is not set: run through test/harness/integration.mjs, which packages first');
  const names = await listEntries(vsix);
  const manifest = JSON.parse(await readEntry(vsix, 'extension/package.json')) as {
    main: string;
    bin: Record<string, string>;
  };
  const inside = (p: string): string => `extension/${p.replace(/^\.\//, '')}`;
  assert.ok(names.includes(inside(manifest.main)), `main ${manifest.main} is not in the .vsix`);
  for (const [cmd, file] of Object.entries(manifest.bin)) {
    assert.ok(names.includes(inside(file)), `bin ${cmd} (${file}) is not in the .vsix`);
  }
});

function readEntry(file: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr) return reject(streamErr);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => reject(new Error(`${name} is not in ${file}`)));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
