// The Getting Started walkthrough as package.json contributes it: every step has its media, every
// button and completion event names a command the extension contributes, the sample profile is a
// real CPU profile whose hotspot the text names, and the New Runbook template is a runbook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Commands, Views } from '../../src/extension/ids';
import { allSteps } from '../../src/core/runbook/model';
import { parseRunbook } from '../../src/core/runbook/parse';
import { importProfile } from '../../src/core/profile/flame/import';
import { topBySelf } from '../../src/core/profile/flame/summary';
import { frameName, totalWeight } from '../../src/core/profile/model';

const ROOT = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}
const walkthroughs: { id: string; steps: WalkthroughStep[] }[] = manifest.contributes.walkthroughs;
const contributed = new Set<string>(Object.values(Commands));
/** Commands VS Code makes for each contributed view. */
const viewCommands = new Set(Object.values(Views).map((v) => `${v}.focus`));

test('one walkthrough: open, run, profile, write, report', () => {
  assert.equal(walkthroughs.length, 1);
  assert.deepEqual(
    walkthroughs[0]!.steps.map((s) => s.id),
    ['openRunbook', 'runStep', 'viewProfile', 'writeRunbook', 'exportReport'],
  );
});

test('every step has its media file, and a button or an event that completes it', () => {
  for (const step of walkthroughs[0]!.steps) {
    const file = step.media.markdown ?? step.media.image;
    assert.ok(file, `${step.id} has no media`);
    assert.ok(existsSync(join(ROOT, file)), `${step.id}: ${file} is missing`);
    if (step.media.image) assert.ok(step.media.altText, `${step.id}: an image needs altText`);
    const text = readFileSync(join(ROOT, file), 'utf8');
    assert.match(text, /^# \S/, `${file} starts with a title`);
    assert.ok(step.completionEvents?.length, `${step.id} never completes`);
    // Relative links in the media resolve inside the extension (the walkthrough opens them from there).
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!.split('#')[0]!;
      if (/^[a-z]+:/i.test(target) || !target) continue;
      assert.ok(existsSync(join(ROOT, dirname(file), target)), `${file}: ${target} does not exist`);
    }
  }
});

test('buttons and completion events name contributed commands', () => {
  for (const step of walkthroughs[0]!.steps) {
    const links = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!);
    assert.ok(links.length, `${step.id} has no button`);
    for (const c of links)
      assert.ok(contributed.has(c) || viewCommands.has(c), `${step.id}: unknown command ${c}`);
    for (const e of step.completionEvents ?? []) {
      const m = /^onCommand:(.+)$/.exec(e);
      assert.ok(m, `${step.id}: ${e} is not an onCommand event`);
      assert.ok(contributed.has(m[1]!), `${step.id}: unknown command ${m[1]}`);
    }
  }
  const run = walkthroughs[0]!.steps.find((s) => s.id === 'runStep');
  assert.deepEqual(run?.completionEvents, [`onCommand:${Commands.runStep}`]);
});

test('the step the walkthrough tells to run is a read-only `free -m` in the bundled memory-leaks runbook', () => {
  const book = parseRunbook(readFileSync(join(ROOT, 'runbooks', 'memory-leaks.md'), 'utf8'), {
    fileName: 'memory-leaks.md',
  });
  const step = allSteps(book).find((s) => s.title === 'Free memory');
  assert.ok(step, 'no "Free memory" step');
  assert.deepEqual(step.path.slice(-2), ['Diagnostic Commands', 'This host']);
  assert.deepEqual(
    step.commands.map((c) => [c.text, c.effect]),
    [['free -m', 'read']],
  );
});

test('the sample profile is a small real CPU profile whose hotspot is the function the text names', async () => {
  const file = join(ROOT, 'media', 'samples', 'checkout-service.cpuprofile');
  assert.ok(statSync(file).size <= 200 * 1024);
  const profile = await importProfile({ path: file });
  assert.equal(profile.format, 'cpuprofile');
  const [top] = topBySelf(profile, 1);
  assert.ok(top);
  assert.equal(frameName(profile, top.frame), 'applyDiscounts');
  assert.ok(top.self / totalWeight(profile) > 0.8);
  assert.match(
    readFileSync(join(ROOT, 'media', 'walkthrough', 'view-profile.md'), 'utf8'),
    /`applyDiscounts`/,
  );
  // The program it profiled ships beside it.
  assert.match(
    readFileSync(join(ROOT, 'media', 'samples', 'checkout-service.js'), 'utf8'),
    /function applyDiscounts/,
  );
});

test('the New Runbook template parses cleanly into read steps, a check, causes and a write that asks', () => {
  const text = readFileSync(join(ROOT, 'media', 'templates', 'new-runbook.md'), 'utf8');
  const book = parseRunbook(text, { fileName: 'new-runbook.md' });
  assert.deepEqual(book.diagnostics, []);
  const steps = allSteps(book);
  assert.ok(steps.length >= 5);
  const free = steps.find((s) => s.commands[0]?.text === 'free -m');
  assert.deepEqual(free?.annotations.expect, ['memory.used_pct > 90%: critical']);
  assert.ok(steps.some((s) => s.kind === 'manual'));
  const restart = steps.find((s) => s.commands[0]?.text.startsWith('kubectl rollout restart'));
  assert.equal(restart?.commands[0]?.effect, 'write');
  assert.deepEqual(
    restart?.commands[0]?.placeholders.map((p) => p.name),
    ['deployment', 'namespace'],
  );
  assert.match(text, /^## Common Causes and Fixes$/m);
});
