// Format detection by content: magic bytes, the first characters, the top-level JSON keys, the
// shape of the first lines. The file name is only used in messages: a `.json` can be a Chrome
// trace, a speedscope file or a .cpuprofile, and a `profile.svg` may not be a flame graph at all.
import type { FlameFormat } from './model';
import { ProfileError } from './flame/errors';

export type HeapFormat = 'heapsnapshot' | 'hprof';
export type ProfileFormatId = FlameFormat | HeapFormat;

export const FORMAT_NAMES: Record<ProfileFormatId, string> = {
  cpuprofile: 'V8 .cpuprofile',
  heapprofile: 'V8 .heapprofile (sampling heap profile)',
  collapsed: 'collapsed stacks',
  'perf-script': 'perf script text',
  speedscope: 'speedscope JSON',
  'chrome-trace': 'Chrome trace event JSON',
  pprof: 'pprof (protobuf)',
  'flamegraph-svg': 'flame graph SVG',
  heapsnapshot: 'V8 .heapsnapshot',
  hprof: 'Java .hprof heap dump',
};

export function isHeapFormat(f: ProfileFormatId): f is HeapFormat {
  return f === 'heapsnapshot' || f === 'hprof';
}

export interface DetectInput {
  /** The first bytes of the (decompressed) content; 64 KB or more is best. */
  head: Uint8Array;
  /** True when `head` is the whole content (lets a short file's last line count). */
  complete?: boolean;
  /** For messages only. */
  name?: string;
  gzip?: boolean;
}

export function detectFormat(input: DetectInput): ProfileFormatId {
  const { head } = input;
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (startsWithAscii(bytes, 'JAVA PROFILE 1.0.')) return 'hprof';
  if (looksBinary(bytes)) {
    if (looksLikePprof(bytes)) return 'pprof';
    throw unknown(input, bytes);
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.search(/\S/);
  const c = start < 0 ? '' : text[start];
  if (c === '{' || c === '[') {
    const f = detectJson(text.slice(start));
    if (f) return f;
  } else if (c === '<') {
    if (/<svg[\s>]/.test(text)) {
      if (
        /<g id="frames"|class="func_g"|<title>[^<]*\(\d[\d,]*(?:\.\d+)? [^ ,()<]+, [\d.]+%\)<\/title>/.test(
          text,
        )
      )
        return 'flamegraph-svg';
      throw new ProfileError(
        'unknown-format',
        `${input.name ?? 'this file'} is an SVG image, but not a flame graph (no <g><title>name (N samples, P%)</title><rect …/></g> frames)`,
      );
    }
  } else if (c) {
    const lines = firstLines(text, input.complete === true, 40);
    if (looksLikePerfScript(lines)) return 'perf-script';
    if (looksLikeCollapsed(lines)) return 'collapsed';
    // One stack longer than the whole head: its count is out of sight, its frames are not.
    if (!lines.length && !input.complete && /^[^\n]*;[^\n]*;[^\n]*$/.test(text)) return 'collapsed';
  }
  throw unknown(input, bytes);
}

function unknown(input: DetectInput, bytes: Buffer): ProfileError {
  const tried = Object.values(FORMAT_NAMES).join(', ');
  const what = bytes.length === 0 ? 'it is empty' : `it starts with ${preview(bytes)}`;
  return new ProfileError(
    'unknown-format',
    `${input.name ?? 'this file'}${input.gzip ? ' (gzip)' : ''} is not a profile format I know: ${what}. Tried: ${tried}.`,
  );
}

function preview(bytes: Buffer): string {
  const s = bytes.subarray(0, 24);
  if (looksBinary(s)) return `bytes ${s.subarray(0, 12).toString('hex').replace(/(..)/g, '$1 ').trim()}`;
  return JSON.stringify(s.toString('utf8').replace(/\uFFFD+$/, ''));
}

function startsWithAscii(b: Buffer, s: string): boolean {
  return b.length >= s.length && b.toString('latin1', 0, s.length) === s;
}

/** Control bytes other than tab, newline, carriage return and form feed in the first 4 KB. */
function looksBinary(b: Buffer): boolean {
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) {
    const x = b[i] as number;
    if (x < 9 || (x > 13 && x < 32) || x === 127) return true;
  }
  return false;
}

// ---- JSON ------------------------------------------------------------------------------------

function detectJson(text: string): ProfileFormatId | undefined {
  if (text[0] === '[') {
    // A bare array of trace events; Chrome allows the closing "]" to be missing.
    const rest = text.slice(1).trimStart();
    if (rest === '' || rest[0] === ']') return 'chrome-trace';
    if (rest[0] === '{' && /"(ph|ts|pid|tid)"\s*:/.test(rest.slice(0, 4096))) return 'chrome-trace';
    return undefined;
  }
  const keys = topLevelKeys(text, DECISIVE_KEYS);
  const has = (k: string): boolean => keys.has(k);
  if (has('traceEvents')) return 'chrome-trace';
  if (has('snapshot') && (has('nodes') || /"node_fields"/.test(text))) return 'heapsnapshot';
  if (
    /"\$schema"\s*:\s*"[^"]*speedscope/.test(text) ||
    /"exporter"\s*:\s*"speedscope/.test(text) ||
    (has('shared') && has('profiles'))
  )
    return 'speedscope';
  if (
    has('nodes') &&
    (has('samples') || has('timeDeltas') || has('startTime') || /"callFrame"\s*:/.test(text))
  )
    return 'cpuprofile';
  if (has('head')) {
    const after = text.slice(text.indexOf('"head"'));
    const self = after.search(/"selfSize"\s*:/);
    const hit = after.search(/"hitCount"\s*:/);
    if (self >= 0 && (hit < 0 || self < hit)) return 'heapprofile';
    if (hit >= 0 || /"functionName"\s*:/.test(after)) return 'cpuprofile';
  }
  if (has('samples') && has('stackFrames')) return 'chrome-trace';
  return undefined;
}

/** A root key that settles the format on its own: no need to scan further. */
const DECISIVE_KEYS = new Set(['traceEvents']);

/** Keys of the root object seen in `text` (a prefix of the file), skipping nested values. */
export function topLevelKeys(text: string, enough?: ReadonlySet<string>): Set<string> {
  const keys = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      let j = i + 1;
      while (j < text.length) {
        const cj = text.charCodeAt(j);
        if (cj === 92) j += 2;
        else if (cj === 34) break;
        else j++;
      }
      if (depth === 1 && expectKey) {
        try {
          const key = JSON.parse(text.slice(i, j + 1)) as string;
          keys.add(key);
          if (enough?.has(key)) return keys;
        } catch {
          // a key cut by the end of the prefix
        }
        expectKey = false;
      }
      i = j;
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      depth++;
      if (depth === 1 && ch === 123) expectKey = true;
    } else if (ch === 125 || ch === 93) depth--;
    else if (ch === 44 /* , */ && depth === 1) expectKey = true;
  }
  return keys;
}

// ---- text ------------------------------------------------------------------------------------

function firstLines(text: string, complete: boolean, max: number): string[] {
  const all = text.split('\n');
  if (!complete) all.pop(); // the last line may be cut by the end of the head
  const out: string[] = [];
  for (const l of all) {
    const line = l.replace(/\r$/, '');
    if (line.trim() === '') continue;
    out.push(line);
    if (out.length >= max) break;
  }
  return out;
}

/** `comm pid[/tid] [cpu] time: [period] event:` as perf script prints each sample's header. */
export const PERF_HEADER = /^\S.*?\s+-?\d+(?:\/-?\d+)?\s+(?:\[\d+\]\s+)?\d+\.\d+:\s+(?:\d+\s+)?\S+:/;

function looksLikePerfScript(lines: string[]): boolean {
  const body = lines.filter((l) => !l.startsWith('#'));
  const i = body.findIndex((l) => PERF_HEADER.test(l));
  return (
    i >= 0 &&
    i < 3 &&
    (body[i + 1] === undefined ||
      /^\s+[0-9a-f]+\s/.test(body[i + 1] as string) ||
      PERF_HEADER.test(body[i + 1] as string))
  );
}

/** `frame;frame;frame count` on every line. */
export const COLLAPSED_LINE = /^(.*\S)\s+(\d+(?:\.\d+)?)$/;

function looksLikeCollapsed(lines: string[]): boolean {
  return lines.length > 0 && lines.every((l) => COLLAPSED_LINE.test(l));
}

// ---- pprof -----------------------------------------------------------------------------------

// profile.proto's top-level fields and their wire types (0 varint, 2 length-delimited).
const PPROF_FIELDS: Record<number, number[]> = {
  1: [2],
  2: [2],
  3: [2],
  4: [2],
  5: [2],
  6: [2],
  7: [0],
  8: [0],
  9: [0],
  10: [0],
  11: [2],
  12: [0],
  13: [0, 2],
  14: [0],
  15: [0],
};

/** Walks the first protobuf fields: they must all be profile.proto fields with the right wire types. */
export function looksLikePprof(b: Uint8Array): boolean {
  let i = 0;
  let fields = 0;
  let sawSampleType = false;
  while (i < b.length && fields < 64) {
    const tag = varint(b, i);
    if (!tag) break;
    i = tag.next;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (!PPROF_FIELDS[field]?.includes(wire)) return false;
    if (wire === 0) {
      const v = varint(b, i);
      if (!v) break;
      i = v.next;
    } else {
      const len = varint(b, i);
      if (!len) break;
      if (field === 1 && len.next + len.value <= b.length) {
        if (!isValueType(b.subarray(len.next, len.next + len.value))) return false;
        sawSampleType = true;
      }
      i = len.next + len.value;
    }
    fields++;
  }
  return fields >= 1 && (sawSampleType || fields >= 3);
}

function isValueType(b: Uint8Array): boolean {
  let i = 0;
  while (i < b.length) {
    const tag = varint(b, i);
    if (!tag) return false;
    if (tag.value !== 8 && tag.value !== 16) return false; // field 1 or 2, varint
    const v = varint(b, tag.next);
    if (!v) return false;
    i = v.next;
  }
  return true;
}

function varint(b: Uint8Array, i: number): { value: number; next: number } | undefined {
  let value = 0;
  let mul = 1;
  for (let k = 0; k < 10 && i < b.length; k++, i++) {
    const x = b[i] as number;
    value += (x & 0x7f) * mul;
    mul *= 128;
    if (x < 0x80) return { value, next: i + 1 };
  }
  return undefined;
}
