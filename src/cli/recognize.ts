// `runbook recognize [--command "COMMAND LINE"] [FILE | -] [--expect CHECK]... [--runbook FILE] [--json]`
// Runs the recognizers and checks on output saved earlier (a file, or standard input), the same way
// a run does. --json prints the assessment as is: {"recognizer": name|null, "data", "findings", ...}.
// Exit codes: 0 whether or not anything was recognized; 2 usage error or unreadable input.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { assess } from '../core/check/assess';
import { recognize } from '../core/recognize/index';
import { runbookCauses } from '../core/check/run-findings';
import { parseRunbook } from '../core/runbook/parse';
import { UsageError, walkArgs } from './args';
import type { CliIO } from './cli';
import { findingLines, findingsJson } from './findings';

export interface RecognizeIO extends CliIO {
  /** Read when no FILE (or `-`) is given; default process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

/** Saved output larger than this is refused: recognizers read tables and plans, not logs of gigabytes. */
export const MAX_INPUT_BYTES = 64 << 20;

const USAGE = `Usage: runbook recognize [--command "COMMAND LINE"] [FILE | -] [--expect CHECK]... [--runbook FILE] [--json]
  --command   the command that printed the output (helps pick the recognizer; optional)
  FILE | -    the saved output; standard input when absent or -
  --expect    a check, as in a step's expect= annotation (repeatable)
  --runbook   take causes and fixes for the diagnosis from this runbook
  --json      print {"recognizer", "title", "data", "level", "findings", "diagnostics"}
`;

interface Args {
  command: string;
  input?: string;
  expect: string[];
  runbook?: string;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { command: '', expect: [], json: false };
  walkArgs(argv, (flag, take, arg) => {
    switch (flag) {
      case '--command':
        a.command = take();
        break;
      case '--expect':
        a.expect.push(take());
        break;
      case '--runbook':
        a.runbook = take();
        break;
      case '--json':
        a.json = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        if (arg !== '-' && arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        if (a.input !== undefined) throw new UsageError(`one FILE only (got "${a.input}" and "${arg}")`);
        a.input = arg;
    }
  });
  return a;
}

function readLimited(stream: NodeJS.ReadableStream, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      size += b.length;
      if (size > MAX_INPUT_BYTES) {
        reject(new Error(`${what} is larger than ${MAX_INPUT_BYTES >> 20} MiB`));
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        return;
      }
      chunks.push(b);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

export async function recognizeCommand(argv: readonly string[], io: RecognizeIO): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (!err.message) {
      io.stdout(USAGE);
      return 0;
    }
    io.stderr(`runbook recognize: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  let output: string;
  const fromStdin = args.input === undefined || args.input === '-';
  try {
    output = fromStdin
      ? await readLimited(io.stdin ?? process.stdin, 'standard input')
      : await readLimited(createReadStream(args.input!), args.input!);
  } catch (err) {
    io.stderr(`runbook recognize: cannot read ${fromStdin ? 'standard input' : args.input}: ${why(err)}\n`);
    return 2;
  }
  let causes: ReturnType<typeof runbookCauses> = [];
  if (args.runbook) {
    try {
      causes = runbookCauses(
        parseRunbook(await readFile(args.runbook, 'utf8'), { fileName: basename(args.runbook) }),
      );
    } catch (err) {
      io.stderr(`runbook recognize: cannot read the runbook ${args.runbook}: ${why(err)}\n`);
      return 2;
    }
  }
  const a = assess(args.command, output, {
    ...(args.expect.length ? { expect: args.expect } : {}),
    causes,
  });
  // The figures checks can name (`expect="<figure> > 90%"`), with their values.
  const figures = (recognize(args.command, output)?.metrics ?? [])
    .filter((m) => m.samples.length > 0)
    .map((m) => ({
      figure: m.path,
      description: m.description,
      values: m.samples.map((s) => ({ label: s.label, value: s.value })),
    }));
  if (args.json) {
    io.stdout(
      JSON.stringify(
        {
          recognizer: a.recognizer,
          title: a.title,
          data: a.data,
          level: a.level,
          findings: findingsJson(a),
          diagnostics: a.diagnostics,
          figures,
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  if (!a.recognizer) io.stdout('not recognized: the output stays plain text\n');
  const lines = findingLines(a, args.runbook ? basename(args.runbook) : undefined);
  if (lines.length) io.stdout(lines.join('\n') + '\n');
  if (a.recognizer) io.stdout(`level: ${a.level}\n`);
  if (figures.length) {
    io.stdout('figures (for expect= checks):\n');
    for (const f of figures) {
      const shown = f.values.slice(0, 3).map((v) => `${v.value}${v.label ? ` (${v.label})` : ''}`);
      io.stdout(
        `  ${f.figure}: ${shown.join(', ')}${f.values.length > 3 ? `, … ${f.values.length} in all` : ''}\n`,
      );
    }
  }
  return 0;
}
