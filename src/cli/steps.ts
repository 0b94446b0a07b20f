// `runbook steps FILE [--json]`
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseRunbook } from '../core/runbook/parse';
import { allSteps } from '../core/runbook/model';
import type { CliIO } from './cli';

export async function stepsCommand(args: readonly string[], io: CliIO): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => !a.startsWith('-'));
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
  if (unknown.length || files.length !== 1) {
    io.stderr(
      `runbook steps: expected one FILE and optionally --json${unknown.length ? `, got ${unknown.join(' ')}` : ''}\n`,
    );
    return 2;
  }
  const file = files[0]!;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String(code ?? err);
    io.stderr(`runbook steps: cannot read ${file}: ${why}\n`);
    return 2;
  }
  const runbook = parseRunbook(text, { fileName: basename(file) });
  const steps = allSteps(runbook);
  if (json) {
    const out = steps.map((s) => ({
      id: s.id,
      title: s.title,
      path: s.path,
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
    io.stdout(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  io.stdout(`${runbook.title}\n`);
  for (const s of steps) {
    io.stdout(
      `  ${s.path.join(' › ')}${s.path.length ? ' › ' : ''}${s.title}  [${s.kind}, line ${s.line}]\n`,
    );
    for (const c of s.commands)
      io.stdout(`      ${c.effect === 'write' ? '!' : '$'} ${c.text.split('\n')[0]}\n`);
  }
  return 0;
}
