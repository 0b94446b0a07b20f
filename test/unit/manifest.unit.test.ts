// package.json contributions and the typed id registry never drift apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Commands, Views, Settings } from '../../src/extension/ids';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('every command in ids.ts is contributed, and nothing else', () => {
  const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(contributed, Object.values(Commands).sort());
});

test('views and the view container match ids.ts', () => {
  assert.equal(manifest.contributes.viewsContainers.activitybar[0].id, Views.container);
  const views = manifest.contributes.views[Views.container].map((v: { id: string }) => v.id);
  assert.ok(views.includes(Views.runbooks));
});

test('settings match ids.ts', () => {
  const props = Object.keys(manifest.contributes.configuration.properties).sort();
  const expected = Object.values(Settings)
    .filter((k) => k !== Settings.section)
    .map((k) => `${Settings.section}.${k}`)
    .sort();
  assert.deepEqual(props, expected);
});

test('activation is lazy: no "*" and no activation on every Markdown file', () => {
  const events: string[] = manifest.activationEvents ?? [];
  assert.ok(!events.includes('*'));
  assert.ok(!events.includes('onLanguage:markdown'));
  assert.ok(!events.includes('onStartupFinished'));
});

test('settings that change what gets executed are restricted in untrusted workspaces and machine-scoped', () => {
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  for (const key of restricted) {
    const prop = manifest.contributes.configuration.properties[key];
    assert.ok(prop, `${key} is contributed`);
    assert.ok(['machine', 'application'].includes(prop.scope), `${key} is machine or application scope`);
  }
  assert.ok(restricted.includes(`${Settings.section}.${Settings.shell}`));
});
