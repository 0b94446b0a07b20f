// Streams a large JSON document from byte chunks without ever holding it as one string.
// The root is an object or an array. Root members named in `streamKeys` whose value is an array
// (a trace's "traceEvents", a .cpuprofile's "nodes" and "samples") are delivered element by
// element, in batches parsed by the native JSON.parse from the bytes of one chunk; other members
// are parsed whole (up to `maxMemberBytes`). A root array is streamed the same way. The scanner
// only tracks nesting and strings; JSON.parse does the validation.
import { ProfileError, formatBytes } from './errors';
import { readAll, type OpenedSource } from './source';

export interface JsonStreamOptions {
  streamKeys: ReadonlySet<string>;
  /** Elements of a streamed array (key null: the root array), in file order. */
  onElements(key: string | null, items: unknown[]): void;
  /** Any other member of the root object. */
  onMember(key: string, value: unknown): void;
  /** Largest single member or element accepted. */
  maxMemberBytes: number;
  /** Names the document in messages, e.g. "trace.json". */
  what: string;
}

export interface JsonStreamResult {
  root: 'object' | 'array';
  /** A root array that ended without its "]" (allowed for traces), and how many bytes of a cut-off last element were ignored. */
  unterminated?: { ignoredBytes: number };
}

const enum Mode {
  Start,
  Key,
  Colon,
  Value,
  Element,
  Done,
}

const BATCH_BYTES = 4 * 1024 * 1024;

export async function streamJson(
  chunks: AsyncIterable<Buffer>,
  o: JsonStreamOptions,
): Promise<JsonStreamResult> {
  let win: Buffer = Buffer.alloc(0);
  let winOffset = 0; // absolute offset of win[0]
  let pos = 0;
  let mode = Mode.Start;
  let root: 'object' | 'array' = 'object';
  let key = '';
  let arrayKey: string | null = null;
  // The value being scanned: [vStart, ...) in win; vStart < 0 when none.
  let vStart = -1;
  let vBegun = false;
  let vDepth = 0;
  let vInStr = false;
  let vScalar = false;
  let vIsKey = false;
  // Complete elements not yet parsed: [bStart, bEnd) in win.
  let bStart = -1;
  let bEnd = -1;

  const fail = (at: number, why: string): ProfileError =>
    new ProfileError('invalid', `${o.what}: not valid JSON at byte ${winOffset + at}: ${why}`);

  const parse = (start: number, end: number, wrap: boolean): unknown => {
    const text = win.toString('utf8', start, end);
    try {
      return JSON.parse(wrap ? `[${text}]` : text);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new ProfileError(
        'invalid',
        `${o.what}: malformed JSON between bytes ${winOffset + start} and ${winOffset + end}: ${msg}`,
      );
    }
  };

  const flush = (): void => {
    if (bStart < 0) return;
    const items = parse(bStart, bEnd, true) as unknown[];
    bStart = bEnd = -1;
    o.onElements(arrayKey, items);
  };

  const begin = (isKey: boolean): void => {
    // A value starts with { [ " - a digit, t, f or n; anything else (a stray "}" or ":") would
    // otherwise be a zero-length value, scanned again and again.
    const c = win[pos] as number;
    if (!(
      c === 123 ||
      c === 91 ||
      c === 34 ||
      c === 45 ||
      (c >= 48 && c <= 57) ||
      c === 116 ||
      c === 102 ||
      c === 110
    ))
      throw fail(pos, `unexpected ${JSON.stringify(String.fromCharCode(c))}`);
    vStart = pos;
    vBegun = false;
    vDepth = 0;
    vInStr = false;
    vScalar = false;
    vIsKey = isKey;
  };

  /** Advances over the current value; returns its end (exclusive) or -1 when the window ran out. */
  const scan = (): number => {
    const b = win;
    const len = b.length;
    let i = pos;
    if (!vBegun) {
      vBegun = true;
      const c = b[i] as number;
      if (c === 123 || c === 91) {
        vDepth = 1;
        i++;
      } else if (c === 34) {
        vInStr = true;
        i++;
      } else vScalar = true;
    }
    for (;;) {
      if (vScalar) {
        while (i < len) {
          const c = b[i] as number;
          if (c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9) return i;
          i++;
        }
        pos = i;
        return -1;
      }
      if (vInStr) {
        while (i < len) {
          const c = b[i] as number;
          if (c === 92) i += 2;
          else if (c === 34) break;
          else i++;
        }
        if (i >= len) {
          pos = i; // may be len + 1 after a backslash at the very end: resumes past the escaped byte
          return -1;
        }
        vInStr = false;
        i++;
        if (vDepth === 0) return i;
      }
      while (i < len) {
        const c = b[i] as number;
        if (c === 34) {
          vInStr = true;
          i++;
          break;
        }
        if (c === 123 || c === 91) vDepth++;
        else if (c === 125 || c === 93) {
          if (--vDepth === 0) return i + 1;
        }
        i++;
      }
      if (!vInStr) {
        pos = i;
        return -1;
      }
    }
  };

  const complete = (start: number, end: number): void => {
    if (vIsKey) {
      key = parse(start, end, false) as string;
      mode = Mode.Colon;
    } else if (mode === Mode.Element) {
      if (bStart < 0) bStart = start;
      bEnd = end;
      if (bEnd - bStart >= BATCH_BYTES) flush();
    } else {
      o.onMember(key, parse(start, end, false));
      mode = Mode.Key;
    }
  };

  const run = (): void => {
    const b = win;
    while (pos < b.length) {
      if (vStart >= 0) {
        const end = scan();
        if (end < 0) return;
        const start = vStart;
        vStart = -1;
        pos = end;
        complete(start, end);
        continue;
      }
      const c = b[pos] as number;
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        pos++;
        continue;
      }
      switch (mode) {
        case Mode.Start:
          if (c === 0xef && b[pos + 1] === 0xbb && b[pos + 2] === 0xbf) {
            pos += 3;
            continue;
          }
          if (c === 123) mode = Mode.Key;
          else if (c === 91) {
            mode = Mode.Element;
            root = 'array';
            arrayKey = null;
          } else throw fail(pos, 'expected "{" or "["');
          pos++;
          break;
        case Mode.Key:
          if (c === 34) begin(true);
          else if (c === 44) pos++;
          else if (c === 125) {
            mode = Mode.Done;
            pos++;
          } else throw fail(pos, 'expected a member name');
          break;
        case Mode.Colon:
          if (c !== 58) throw fail(pos, 'expected ":"');
          mode = Mode.Value;
          pos++;
          break;
        case Mode.Value:
          if (c === 91 && o.streamKeys.has(key)) {
            mode = Mode.Element;
            arrayKey = key;
            pos++;
          } else begin(false);
          break;
        case Mode.Element:
          if (c === 44) pos++;
          else if (c === 93) {
            flush();
            mode = arrayKey === null ? Mode.Done : Mode.Key;
            pos++;
          } else begin(false);
          break;
        case Mode.Done:
          throw fail(pos, 'unexpected data after the end of the document');
      }
    }
  };

  // The closures above change these; read them through functions so TypeScript does not narrow.
  const modeNow = (): Mode => mode;
  const rootNow = (): 'object' | 'array' => root;
  for await (const chunk of chunks) {
    if (vStart >= 0) {
      const kept = win.length - vStart;
      if (kept > o.maxMemberBytes)
        throw new ProfileError(
          'too-large',
          `${o.what}: ${vIsKey ? 'a member name' : modeNow() === Mode.Element ? 'one array element' : `the "${key}" member`} is larger than ${formatBytes(o.maxMemberBytes)}, the limit for a value parsed whole`,
        );
      winOffset += vStart;
      pos -= vStart;
      win = Buffer.concat([win.subarray(vStart), chunk]);
      vStart = 0;
    } else {
      winOffset += win.length;
      pos -= win.length;
      win = chunk;
    }
    run();
    flush();
  }
  // A scalar at the very end of the input has no delimiter after it.
  if (vStart >= 0 && vScalar && modeNow() !== Mode.Start) {
    const start = vStart;
    vStart = -1;
    complete(start, win.length);
    flush();
  }
  if (modeNow() === Mode.Done) return { root: rootNow() };
  if (rootNow() === 'array' && modeNow() === Mode.Element)
    return { root: 'array', unterminated: { ignoredBytes: vStart >= 0 ? win.length - vStart : 0 } };
  if (modeNow() === Mode.Start) throw new ProfileError('invalid', `${o.what}: empty document`);
  throw new ProfileError(
    'invalid',
    `${o.what}: the JSON ends unexpectedly after ${winOffset + win.length} bytes (truncated file?)`,
  );
}

/**
 * Like streamJson, from an opened source: a small document is parsed whole by JSON.parse and its
 * members dispatched the same way; a large one, or one JSON.parse refuses (a trace without its
 * closing "]", a broken file whose error the streamer locates), is streamed.
 */
export async function readJson(
  source: OpenedSource,
  o: JsonStreamOptions & { wholeBelow: number },
): Promise<JsonStreamResult> {
  const small =
    (source.complete && source.head.length <= o.wholeBelow) ||
    (!source.gzip && source.size !== undefined && source.size <= o.wholeBelow);
  if (!small) return streamJson(source.chunks(), o);
  const bytes = await readAll(source, Math.max(o.wholeBelow, source.head.length), o.what);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    doc = undefined;
  }
  if (Array.isArray(doc)) {
    o.onElements(null, doc);
    return { root: 'array' };
  }
  if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (o.streamKeys.has(k) && Array.isArray(v)) o.onElements(k, v as unknown[]);
      else o.onMember(k, v);
    }
    return { root: 'object' };
  }
  async function* once(): AsyncGenerator<Buffer> {
    yield bytes;
  }
  return streamJson(once(), o);
}
