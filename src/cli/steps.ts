// `runbook steps FILE [--json]`: what a runbook holds, for people (an outline) and for scripts (JSON,
// one object per step in document order). Parser diagnostics go to stderr as `FILE:LINE: severity:
// message` and do not change the exit code; an unreadable file exits 2.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseRunbook } from '../core/runbook/parse';
import { allSteps, type Runbook, type Section, type Step } from '../core/runbook/model';
import type { CliIO } from './cli';

export const STEPS_USAGE = `Usage: runbook steps FILE [--json]

Lists the sections, steps and commands of a Markdown runbook (FILE - reads standard input).
  --json   a JSON array, one object per step in document order:
           {"id", "title", "path", "kind", "language", "line",
            "commands": [{"text", "line", "placeholders", "effect"}]}
Exit status: 0 listed (even when the file has no steps), 2 bad arguments or unreadable file.
`;

/** Larger files are refused rather than read into memory: no real runbook comes close. */
const MAX_BYTES = 64 * 1024 * 1024;

export interface StepJson {
  id: string;
  title: string;
  path: string[];
  kind: Step['kind'];
  language: string | null;
  line: number;
  commands: { text: string; line: number; placeholders: string[]; effect: 'read' | 'write' }[];
}

export function stepsJson(runbook: Runbook): StepJson[] {
  return allSteps(runbook).map((s) => ({
    id: s.id,
    title: s.title,
    path: [...s.path],
    kind: s.kind,
    language: s.language,
    line: s.line,
    commands: s.commands.map((c) => ({
      text: c.text,
      line: c.line,
      placeholders: [...new Set(c.placeholders.map((p) => p.name))],
      effect: c.effect,
    })),
  }));
}

export async function stepsCommand(args: readonly string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(STEPS_USAGE);
    return 0;
  }
  const json = args.includes('--json');
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json' && a !== '-');
  const files = args.filter((a) => !a.startsWith('-') || a === '-');
  if (unknown.length || files.length !== 1) {
    const why = unknown.length
      ? `unknown option ${unknown.join(' ')}`
      : files.length
        ? `expected one FILE, got ${files.length}`
        : 'missing FILE';
    io.stderr(`runbook steps: ${why}\n\n${STEPS_USAGE}`);
    return 2;
  }
  const file = files[0]!;
  const text = await readRunbook(file, io);
  if (text === undefined) return 2;
  const runbook = parseRunbook(text, { fileName: basename(file) });
  for (const d of runbook.diagnostics) io.stderr(`${file}:${d.line}: ${d.severity}: ${d.message}\n`);
  if (json) io.stdout(`${JSON.stringify(stepsJson(runbook), null, 2)}\n`);
  else io.stdout(outline(runbook, basename(file)));
  return 0;
}

async function readRunbook(file: string, io: CliIO): Promise<string | undefined> {
  const fail = (why: string): undefined => {
    io.stderr(`runbook steps: cannot read ${file}: ${why}\n`);
    return undefined;
  };
  try {
    if (file === '-') return await readStdin();
    const st = await stat(file);
    if (st.isDirectory()) return fail('it is a directory (give a Markdown file)');
    if (!st.isFile()) return fail('not a regular file');
    if (st.size > MAX_BYTES)
      return fail(`${Math.round(st.size / 1048576)} MB is larger than the 64 MB limit`);
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('no such file');
    if (code === 'EACCES' || code === 'EPERM') return fail('permission denied');
    if (code === 'EISDIR') return fail('it is a directory (give a Markdown file)');
    return fail(err instanceof Error ? err.message : String(err));
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_BYTES) throw new Error('standard input is larger than the 64 MB limit');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The outline: sections that hold steps (others, like "Symptoms", are left out), then each step with
 * its kind and line, then its commands: `$` read, `!` write (asks first), with their placeholders.
 */
export function outline(runbook: Runbook, fileName: string): string {
  const steps = allSteps(runbook);
  const commands = steps.flatMap((s) => s.commands);
  const writes = commands.filter((c) => c.effect === 'write').length;
  const lines: string[] = [
    `${runbook.title}  (${fileName}: ${count(steps.length, 'step')}, ${count(commands.length, 'command')}, ${writes} write)`,
  ];
  if (!steps.length) lines.push('  no steps: nothing in this file is a step to run or tick off');
  const stepLines = (s: Step, indent: string): void => {
    const mark =
      s.kind === 'manual' ? '[ ]' : s.kind === 'query' ? 'sql' : s.kind === 'script' ? 'run' : ' > ';
    lines.push(`${indent}${mark} ${s.title}  (line ${s.line}, ${s.id})`);
    for (const c of s.commands) {
      const [first, ...more] = c.text.split('\n');
      const ph = c.placeholders.length
        ? `  {${[...new Set(c.placeholders.map((p) => p.name))].join(', ')}}`
        : '';
      lines.push(
        `${indent}    ${c.effect === 'write' ? '!' : '$'} ${first}${more.length ? ` …(+${more.length} lines)` : ''}${ph}`,
      );
    }
  };
  const hasSteps = (s: Section): boolean => s.steps.length > 0 || s.sections.some(hasSteps);
  const section = (s: Section, indent: string): void => {
    if (!hasSteps(s)) return;
    lines.push(`${indent}${s.title}`);
    const children: (Section | Step)[] = [...s.sections, ...s.steps].sort((a, b) => a.line - b.line);
    for (const c of children) {
      if ('origin' in c) section(c, `${indent}  `);
      else stepLines(c, `${indent}  `);
    }
  };
  for (const s of runbook.steps) stepLines(s, '  ');
  for (const s of runbook.sections) section(s, '  ');
  if (writes) lines.push('', '$ read   ! write: changes a system, so it asks before running');
  return `${lines.join('\n')}\n`;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
