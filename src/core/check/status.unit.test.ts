import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Runbook, Section, Step } from '../runbook/model';
import { runbookStatus, sectionStatus, stepStatus, worst, type StepStatus } from './status';

const step = (id: string): Step => ({
  id,
  title: id,
  kind: 'command',
  language: 'bash',
  line: 1,
  endLine: 1,
  commands: [],
  annotations: {},
  path: [],
});
const section = (steps: Step[], sections: Section[] = []): Section => ({
  title: 's',
  level: 1,
  origin: 'atx',
  line: 1,
  endLine: 1,
  sections,
  steps,
});

test('order: not-run < ok < refused < cancelled < warning < failed < critical', () => {
  assert.equal(worst([]), 'not-run');
  assert.equal(worst(['ok', 'refused']), 'refused');
  assert.equal(worst(['refused', 'cancelled']), 'cancelled');
  assert.equal(worst(['ok', 'cancelled']), 'cancelled');
  assert.equal(worst(['cancelled', 'warning']), 'warning');
  assert.equal(worst(['warning', 'failed']), 'failed');
  assert.equal(worst(['failed', 'critical', 'ok']), 'critical');
});

test('a step: cancelled wins; a failing command is failed unless a check found something critical', () => {
  assert.equal(stepStatus(undefined), 'not-run');
  assert.equal(stepStatus({ cancelled: true, level: 'critical' }), 'cancelled');
  assert.equal(stepStatus({ refused: true }), 'refused');
  assert.equal(stepStatus({ refused: true, cancelled: true }), 'cancelled');
  assert.equal(stepStatus({ failed: true }), 'failed');
  assert.equal(stepStatus({ failed: true, level: 'warning' }), 'failed');
  assert.equal(stepStatus({ failed: true, level: 'critical' }), 'critical');
  assert.equal(stepStatus({ level: 'warning' }), 'warning');
  assert.equal(stepStatus({}), 'ok');
});

test('sections and the runbook roll up the worst status, through sub-sections', () => {
  const statuses: Record<string, StepStatus> = { a: 'ok', b: 'warning', c: 'critical', d: 'cancelled' };
  const of = (id: string): StepStatus => statuses[id] ?? 'not-run';
  const inner = section([step('c')]);
  const outer = section([step('a'), step('b')], [inner]);
  assert.equal(sectionStatus(inner, of), 'critical');
  assert.equal(sectionStatus(outer, of), 'critical');
  assert.equal(sectionStatus(section([step('a'), step('d')]), of), 'cancelled');
  assert.equal(sectionStatus(section([step('zz')]), of), 'not-run');
  const rb: Runbook = {
    title: 't',
    sections: [section([step('a')])],
    steps: [step('b')],
    frontMatter: {},
    diagnostics: [],
  };
  assert.equal(runbookStatus(rb, of), 'warning');
});
