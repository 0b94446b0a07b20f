// Runs mocha suites in this process (the extension host) and writes what happened where the harness
// waits for it: one line per test as it finishes, then the summary, written whole (temp file + rename)
// so the harness never reads half of it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  error?: string;
}

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  tests: TestOutcome[];
  /** Set when the suites could not be run at all. */
  error?: string;
}

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

/** Mocha's own reporters print to the extension host's stdout, which nobody reads: report through files. */
class FileReporter extends Mocha.reporters.Base {}

export async function runSuites(dir: string, names: readonly string[], resultsFile: string): Promise<void> {
  const progressFile = `${resultsFile}.progress`;
  const summary: Summary = { passed: 0, failed: 0, skipped: 0, tests: [] };
  const record = (outcome: TestOutcome): void => {
    summary.tests.push(outcome);
    summary[outcome.state] += 1;
    fs.appendFileSync(progressFile, `${JSON.stringify(outcome)}\n`);
  };
  try {
    if (names.length === 0) throw new Error('RUNBOOK_TEST_SUITES names no suite to run');
    const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, reporter: FileReporter, color: false });
    for (const name of names) {
      const file = path.join(dir, name);
      if (!fs.existsSync(file)) throw new Error(`suite ${name} is not in ${dir}`);
      mocha.addFile(file);
    }
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on(EVENT_TEST_PASS, (test) =>
        record({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }),
      );
      runner.on(EVENT_TEST_PENDING, (test) => record({ title: test.fullTitle(), state: 'skipped' }));
      runner.on(EVENT_TEST_FAIL, (test, err: unknown) =>
        record({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: explain(err) }),
      );
    });
  } catch (err) {
    summary.error = explain(err);
  }
  const temp = `${resultsFile}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(summary, null, 2));
  fs.renameSync(temp, resultsFile);
}

function explain(err: unknown): string {
  if (err instanceof Error) return (err.stack ?? err.message).split('\n').slice(0, 12).join('\n');
  return String(err);
}
