// `runbook profile FILE [--json] [--top N]`: what a profile says, in a terminal or CI.
// The format is detected from the content. CPU, allocation and trace profiles print the format,
// the total weight and the top N functions by self and by total weight; --json prints
//   {"format", "kind", "unit", "total", "top": [{"name", "file", "line", "self", "total"}], ...}
// with `top` sorted by self (plus "topByTotal", "warnings" and "truncated" when there are any).
// Exit codes: 0 printed; 2 usage error, or a file that cannot be read, is no known profile, or is broken.
import { FORMAT_NAMES, isHeapFormat } from '../core/profile/detect';
import { ProfileError } from '../core/profile/flame/errors';
import { detectProfileFormat, importProfile } from '../core/profile/flame/import';
import { topBySelf, topByTotal, type FunctionWeight } from '../core/profile/flame/summary';
import { formatWeight } from '../core/profile/flame/units';
import { frameFile, frameName, totalWeight, type FlameProfile } from '../core/profile/model';
import { summarizeHeap } from '../core/profile/heap/summary';
import type { CliIO } from './cli';

const USAGE = `Usage: runbook profile FILE [--json] [--top N]
  FILE     a profile: .cpuprofile, .heapprofile, collapsed stacks, perf script, speedscope,
           Chrome/torch trace JSON, pprof, flame graph SVG (gzipped too); found by content
  --json   print {"format", "kind", "unit", "total", "top": [{"name", "file", "line", "self", "total"}]}
  --top N  how many functions to list (default 20)
`;

export async function profileCommand(args: readonly string[], io: CliIO): Promise<number> {
  let json = false;
  let top = 20;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      io.stdout(USAGE);
      return 0;
    } else if (a === '--top' || a.startsWith('--top=')) {
      const v = a === '--top' ? args[++i] : a.slice(6);
      const n = Number(v);
      if (!v || !Number.isInteger(n) || n < 1) {
        io.stderr(`runbook profile: --top needs a whole number of 1 or more${v ? `, got "${v}"` : ''}\n`);
        return 2;
      }
      top = n;
    } else if (a.startsWith('-') && a !== '-') {
      io.stderr(`runbook profile: unknown option ${a}\n\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length !== 1) {
    io.stderr(`runbook profile: expected one FILE${files.length ? `, got ${files.length}` : ''}\n\n${USAGE}`);
    return 2;
  }
  const path = files[0] as string;
  let profile: FlameProfile;
  try {
    const format = await detectProfileFormat({ path });
    if (isHeapFormat(format)) return await heapCommand(path, top, json, io);
    profile = await importProfile({ path }, { format });
  } catch (err) {
    const msg = err instanceof ProfileError || err instanceof Error ? err.message : String(err);
    io.stderr(`runbook profile: ${msg}\n`);
    return 2;
  }
  const bySelf = topBySelf(profile, top);
  const byTotal = topByTotal(profile, top);
  if (json) {
    const out = {
      format: profile.format,
      kind: profile.kind,
      unit: profile.unit,
      total: totalWeight(profile),
      top: bySelf.map((w) => row(profile, w)),
      topByTotal: byTotal.map((w) => row(profile, w)),
      ...(profile.warnings.length ? { warnings: profile.warnings } : {}),
      ...(profile.truncated ? { truncated: profile.truncated } : {}),
    };
    io.stdout(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const total = totalWeight(profile);
  io.stdout(
    `${path}: ${FORMAT_NAMES[profile.format]}, ${profile.kind} profile, total ${formatWeight(total, profile.unit)}` +
      `${profile.name ? ` (${profile.name})` : ''}\n`,
  );
  if (profile.truncated) io.stdout(`truncated: ${profile.truncated}\n`);
  for (const w of profile.warnings) io.stdout(`note: ${w}\n`);
  io.stdout(table(`Top ${bySelf.length} by self`, profile, bySelf, total));
  io.stdout(table(`Top ${byTotal.length} by total`, profile, byTotal, total));
  return 0;
}

function row(p: FlameProfile, w: FunctionWeight): Record<string, unknown> {
  const file = frameFile(p, w.frame);
  const line = p.frames.line[w.frame] ?? 0;
  return {
    name: frameName(p, w.frame),
    file: file ?? null,
    line: line || null,
    self: w.self,
    total: w.total,
  };
}

function table(title: string, p: FlameProfile, rows: FunctionWeight[], total: number): string {
  const pct = (v: number): string => (total ? `${((100 * v) / total).toFixed(1)}%` : '-');
  const cells = rows.map((w) => {
    const file = frameFile(p, w.frame);
    const line = p.frames.line[w.frame] ?? 0;
    return [
      formatWeight(w.self, p.unit),
      pct(w.self),
      formatWeight(w.total, p.unit),
      pct(w.total),
      `${frameName(p, w.frame)}${file ? `  ${file}${line ? `:${line}` : ''}` : ''}`,
    ];
  });
  const head = ['self', '%', 'total', '%', 'function'];
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const fmt = (c: string[]): string =>
    c.map((v, i) => (i === c.length - 1 ? v : v.padStart(width[i] as number))).join('  ') + '\n';
  return `\n${title}:\n${fmt(head)}${cells.map(fmt).join('')}`;
}

/** Heap dumps (.hprof, .hprof.gz, .heapsnapshot): the largest classes by shallow bytes. */
async function heapCommand(path: string, top: number, json: boolean, io: CliIO): Promise<number> {
  const h = await summarizeHeap(path, { top });
  if (json) {
    io.stdout(JSON.stringify(h, null, 2) + '\n');
    return 0;
  }
  const mb = (n: number): string =>
    n >= 1048576 ? `${(n / 1048576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
  io.stdout(
    `${path}: ${h.format} heap dump, ${h.objects.toLocaleString('en-US')} objects, ${mb(h.totalBytes)}\n`,
  );
  if (h.note) io.stdout(`note: ${h.note}\n`);
  const rows = h.top.map((r) => [
    r.count.toLocaleString('en-US'),
    mb(r.shallowBytes),
    r.retainedBytes === null ? '-' : mb(r.retainedBytes),
    r.name,
  ]);
  const head = ['instances', 'shallow', 'retained', 'class'];
  const widths = head.map((t, i) => Math.max(t.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 3 ? c.padStart(widths[i] ?? 0) : c)).join('  ') + '\n';
  io.stdout(`\nTop ${rows.length} classes by shallow size\n${line(head)}`);
  for (const r of rows) io.stdout(line(r));
  return 0;
}
