// importProfile: source (a path or bytes) → detected format → the matching importer → FlameProfile.
// Runs anywhere (CLI, tests) and is what the worker (../worker.ts) runs off the main thread.
import { FORMAT_NAMES, detectFormat, isHeapFormat, type ProfileFormatId } from '../detect';
import type { FlameFormat, FlameProfile } from '../model';
import { FlameBuilder } from './builder';
import type { ImportContext, ImportOptions, ResolvedOptions } from './context';
import { ProfileError, asProfileError } from './errors';
import { importChromeTrace } from './chrome-trace';
import { importCollapsed } from './collapsed';
import { importCpuProfile } from './cpuprofile';
import { importFlameGraphSvg } from './flamegraph-svg';
import { importHeapProfile } from './heapprofile';
import { importPerfScript } from './perf-script';
import { importPprof } from './pprof';
import { importSpeedscope } from './speedscope';
import { openSource, type OpenedSource, type ProfileSource } from './source';

export type { ImportOptions } from './context';
export type { ProfileSource, ImportProgress } from './source';

const GB = 1024 * 1024 * 1024;

const IMPORTERS: Record<FlameFormat, (ctx: ImportContext) => Promise<FlameProfile>> = {
  cpuprofile: importCpuProfile,
  heapprofile: importHeapProfile,
  collapsed: importCollapsed,
  'perf-script': importPerfScript,
  speedscope: importSpeedscope,
  'chrome-trace': importChromeTrace,
  pprof: importPprof,
  'flamegraph-svg': importFlameGraphSvg,
};

function resolve(o: ImportOptions): ResolvedOptions {
  return {
    maxBytes: o.maxBytes ?? 16 * GB,
    maxWholeBytes: o.maxWholeBytes ?? GB / 2,
    maxMemberBytes: o.maxMemberBytes ?? GB / 4,
    wholeJsonBelow: o.wholeJsonBelow ?? 16 * 1024 * 1024,
    unit: o.unit,
    sampleType: o.sampleType,
  };
}

async function open(
  source: ProfileSource,
  o: ImportOptions,
): Promise<{ opened: OpenedSource; format: ProfileFormatId }> {
  const opened = await openSource(source, {
    maxBytes: resolve(o).maxBytes,
    onProgress: o.onProgress,
    signal: o.signal,
  });
  const format =
    o.format ??
    detectFormat({ head: opened.head, complete: opened.complete, name: opened.name, gzip: opened.gzip });
  return { opened, format };
}

/** Reads just enough of the source to name its format (heap formats included). */
export async function detectProfileFormat(source: ProfileSource): Promise<ProfileFormatId> {
  const { format } = await open(source, {});
  return format;
}

export async function importProfile(
  source: ProfileSource,
  options: ImportOptions = {},
): Promise<FlameProfile> {
  const { opened, format } = await open(source, options);
  if (isHeapFormat(format))
    throw new ProfileError(
      'unsupported',
      `${opened.name} is a ${FORMAT_NAMES[format]}: a heap dump, which the heap importer reads, not a flame graph`,
    );
  const b = new FlameBuilder(options.limits);
  try {
    return await IMPORTERS[format]({ source: opened, b, opts: resolve(options) });
  } catch (err) {
    throw asProfileError(err, `${opened.name} (${FORMAT_NAMES[format]})`);
  }
}
