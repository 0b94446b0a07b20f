// Streaming reader of V8's .heapsnapshot JSON. The file is one JSON object whose big members are flat
// number arrays ("nodes", "edges") and a string table ("strings"); a whole-file JSON.parse needs the
// file as one string (V8 cannot even make one past ~512 MB) plus an object per number. This reads
// bytes chunk by chunk: "snapshot" (small) goes to JSON.parse, numbers go straight into typed
// columns, strings are decoded only when a node name needs them, everything else is skipped.
import { HeapFormatError } from './model';

export interface SnapshotMeta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
}

/** Columns of the node table, plus the essential edges (the ones that keep objects alive) as CSR. */
export interface SnapshotData {
  meta: SnapshotMeta;
  nodeCount: number;
  edgeCount: number;
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  nodeId: Float64Array;
  selfSize: Float64Array;
  /** Present when the graph was kept (node count within the cap). */
  edgeStart: Uint32Array | null;
  edgeTo: Int32Array | null;
  /** String table entries for the indices asked for by wantString; others are undefined. */
  strings: (string | undefined)[];
  /** The root node, and the targets of its shortcut edges (global objects: DevTools' user roots). */
  rootIndex: number;
  userRoots: number[];
}

const WS = 1;
const DIGIT = 2;
const charClass = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) charClass[c] = WS;
for (let c = 0x30; c <= 0x39; c++) charClass[c] = DIGIT;

const S_OBJ_START = 0;
const S_KEY = 1;
const S_COLON = 2;
const S_VALUE = 3;
const S_CAPTURE = 4;
const S_NUMS = 5;
const S_STRS = 6;
const S_SKIP = 7;
const S_DONE = 8;

/** Hard ceiling even for the histogram: past this the columns alone would exhaust memory. */
export const MAX_SNAPSHOT_NODES = 60_000_000;

export interface ReaderOptions {
  /** Above this many nodes the edges are not kept (no dominator tree). */
  maxObjects: number;
  /** Which string-table entries to decode, decided once nodes are read (e.g. class names only). */
  wantStrings?: (d: SnapshotData) => Uint8Array;
}

export class HeapSnapshotReader {
  private state = S_OBJ_START;
  private offset = 0;
  private key = '';
  private keyParts: Buffer[] = [];
  private inString = false;
  private escape = false;
  private depth = 0;
  private capture: Buffer[] = [];
  private section = '';
  private sawValue = false;
  private num = -1;
  private numArrayOpen = false;
  // nodes
  private meta: SnapshotMeta | null = null;
  private nodeFieldCount = 0;
  private nodeRole = new Int8Array(0);
  private edgeFieldCount = 0;
  private edgeRole = new Int8Array(0);
  private field = 0;
  private index = 0;
  // edges
  private edgeSource = 0;
  private edgesLeftForSource = 0;
  private edgeType = 0;
  private edgeOut = 0;
  private weakType = -1;
  private shortcutType = -1;
  private rootIndex = 0;
  // strings
  private strParts: Buffer[] = [];
  private strEscaped = false;
  private wanted: Uint8Array | null = null;
  data: SnapshotData | null = null;
  private readonly seen = new Set<string>();

  constructor(private readonly opts: ReaderOptions) {}

  private fail(what: string, at: number): never {
    throw new HeapFormatError(`not a readable V8 heap snapshot: ${what} at byte ${at}`);
  }

  push(buf: Buffer): void {
    let p = 0;
    const n = buf.length;
    const base = this.offset;
    while (p < n) {
      switch (this.state) {
        case S_OBJ_START: {
          const c = buf[p]!;
          if (charClass[c] === WS || (base + p === 0 && c === 0xef)) {
            p += c === 0xef ? 3 : 1; // UTF-8 byte order mark
            continue;
          }
          if (c !== 0x7b)
            this.fail(`expected "{" but found ${JSON.stringify(String.fromCharCode(c))}`, base + p);
          p++;
          this.state = S_KEY;
          this.key = '';
          this.keyParts = [];
          this.inString = false;
          break;
        }
        case S_KEY: {
          if (!this.inString) {
            const c = buf[p]!;
            if (charClass[c] === WS || c === 0x2c) {
              p++;
              continue;
            }
            if (c === 0x7d) {
              this.state = S_DONE;
              p++;
              continue;
            }
            if (c !== 0x22)
              this.fail(
                `expected a member name but found ${JSON.stringify(String.fromCharCode(c))}`,
                base + p,
              );
            this.inString = true;
            p++;
            continue;
          }
          const q = buf.indexOf(0x22, p);
          if (q < 0) {
            this.keyParts.push(Buffer.from(buf.subarray(p)));
            p = n;
            continue;
          }
          this.keyParts.push(buf.subarray(p, q));
          this.key = Buffer.concat(this.keyParts).toString('utf8');
          this.keyParts = [];
          if (this.key.length > 256) this.fail('member name too long', base + q);
          this.inString = false;
          p = q + 1;
          this.state = S_COLON;
          break;
        }
        case S_COLON: {
          const c = buf[p]!;
          if (charClass[c] === WS) {
            p++;
            continue;
          }
          if (c !== 0x3a) this.fail(`expected ":" after "${this.key}"`, base + p);
          p++;
          this.state = S_VALUE;
          break;
        }
        case S_VALUE: {
          const c = buf[p]!;
          if (charClass[c] === WS) {
            p++;
            continue;
          }
          this.section = this.key;
          if (this.seen.has(this.key)) this.fail(`"${this.key}" appears twice`, base + p);
          this.seen.add(this.key);
          if (this.key === 'snapshot') {
            if (c !== 0x7b) this.fail('"snapshot" is not an object', base + p);
            this.state = S_CAPTURE;
            this.capture = [];
            this.depth = 0;
            this.inString = false;
            this.escape = false;
          } else if (this.key === 'nodes' || this.key === 'edges') {
            if (c !== 0x5b) this.fail(`"${this.key}" is not an array`, base + p);
            if (!this.meta) this.fail(`"${this.key}" comes before "snapshot"`, base + p);
            if (this.key === 'edges' && !this.seen.has('nodes'))
              this.fail('"edges" comes before "nodes"', base + p);
            this.beginNumbers(this.key);
            p++;
            this.state = S_NUMS;
          } else if (this.key === 'strings') {
            if (c !== 0x5b) this.fail('"strings" is not an array', base + p);
            if (!this.data) this.fail('"strings" comes before "nodes"', base + p);
            this.beginStrings();
            p++;
            this.state = S_STRS;
          } else {
            this.state = S_SKIP;
            this.depth = 0;
            this.inString = false;
            this.escape = false;
            this.sawValue = false;
          }
          break;
        }
        case S_CAPTURE:
          p = this.captureValue(buf, p, base);
          break;
        case S_NUMS:
          p = this.section === 'nodes' ? this.nodeNumbers(buf, p, base) : this.edgeNumbers(buf, p, base);
          break;
        case S_STRS:
          p = this.stringValues(buf, p, base);
          break;
        case S_SKIP:
          p = this.skipValue(buf, p);
          break;
        case S_DONE: {
          const c = buf[p]!;
          if (charClass[c] !== WS) this.fail('content after the end of the snapshot', base + p);
          p++;
          break;
        }
      }
    }
    this.offset = base + n;
  }

  end(): SnapshotData {
    if (this.state !== S_DONE) {
      if (this.offset === 0) throw new HeapFormatError('empty file: not a V8 heap snapshot');
      const where =
        this.state === S_OBJ_START || this.state === S_KEY ? 'between members' : `in "${this.section}"`;
      throw new HeapFormatError(`truncated V8 heap snapshot: the file ends at byte ${this.offset} ${where}`);
    }
    for (const k of ['snapshot', 'nodes', 'edges', 'strings'])
      if (!this.seen.has(k)) throw new HeapFormatError(`not a V8 heap snapshot: no "${k}" member`);
    return this.data!;
  }

  /** Generic skip of one JSON value of an unneeded member (trace_tree, samples, locations...). */
  private skipValue(buf: Buffer, p: number): number {
    const n = buf.length;
    for (; p < n; p++) {
      const c = buf[p]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.depth === 0) {
            this.state = S_KEY;
            return p + 1;
          }
        }
        continue;
      }
      if (c === 0x22) {
        this.inString = true;
        this.sawValue = true;
      } else if (c === 0x5b || c === 0x7b) {
        this.depth++;
        this.sawValue = true;
      } else if (c === 0x5d || c === 0x7d) {
        if (this.depth === 0) {
          this.state = S_KEY; // the closing brace of the top object: S_KEY sees it
          return p;
        }
        this.depth--;
        if (this.depth === 0) {
          this.state = S_KEY;
          return p + 1;
        }
      } else if (c === 0x2c && this.depth === 0) {
        this.state = S_KEY;
        return p;
      } else if (charClass[c] !== WS) this.sawValue = true;
    }
    return p;
  }

  private captureValue(buf: Buffer, p: number, base: number): number {
    const start = p;
    const n = buf.length;
    for (; p < n; p++) {
      const c = buf[p]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          this.capture.push(buf.subarray(start, p + 1));
          this.onSnapshot(Buffer.concat(this.capture).toString('utf8'), base + p);
          this.capture = [];
          this.state = S_KEY;
          return p + 1;
        }
      }
    }
    this.capture.push(Buffer.from(buf.subarray(start)));
    if (this.capture.reduce((s, b) => s + b.length, 0) > 16 << 20)
      this.fail('"snapshot" member over 16 MB', base + p);
    return p;
  }

  private onSnapshot(text: string, at: number): void {
    let snap: { meta?: SnapshotMeta; node_count?: number; edge_count?: number; root_index?: number };
    try {
      snap = JSON.parse(text) as typeof snap;
    } catch (e) {
      this.fail(`"snapshot" is not valid JSON (${(e as Error).message})`, at);
    }
    const meta = snap.meta;
    if (
      !meta ||
      !Array.isArray(meta.node_fields) ||
      !Array.isArray(meta.edge_fields) ||
      !Array.isArray(meta.node_types?.[0]) ||
      !Array.isArray(meta.edge_types?.[0])
    )
      this.fail('"snapshot.meta" lacks node_fields / edge_fields / node_types / edge_types', at);
    const nodeCount = snap.node_count;
    const edgeCount = snap.edge_count;
    if (
      !Number.isSafeInteger(nodeCount) ||
      !Number.isSafeInteger(edgeCount) ||
      nodeCount! < 0 ||
      edgeCount! < 0
    )
      this.fail('"snapshot" lacks node_count / edge_count', at);
    if (nodeCount! > MAX_SNAPSHOT_NODES)
      throw new HeapFormatError(
        `heap snapshot too large: ${nodeCount} nodes > limit ${MAX_SNAPSHOT_NODES}; take a smaller snapshot`,
      );
    const nf = meta.node_fields;
    const role = (f: string[], name: string, r: number, into: Int8Array): void => {
      const i = f.indexOf(name);
      if (i < 0) this.fail(`"snapshot.meta" has no ${name} field`, at);
      into[i] = r;
    };
    this.nodeFieldCount = nf.length;
    this.nodeRole = new Int8Array(nf.length);
    role(nf, 'type', 1, this.nodeRole);
    role(nf, 'name', 2, this.nodeRole);
    role(nf, 'id', 3, this.nodeRole);
    role(nf, 'self_size', 4, this.nodeRole);
    role(nf, 'edge_count', 5, this.nodeRole);
    const ef = meta.edge_fields;
    this.edgeFieldCount = ef.length;
    this.edgeRole = new Int8Array(ef.length);
    role(ef, 'type', 1, this.edgeRole);
    role(ef, 'name_or_index', 2, this.edgeRole);
    role(ef, 'to_node', 3, this.edgeRole);
    this.weakType = meta.edge_types[0].indexOf('weak');
    this.shortcutType = meta.edge_types[0].indexOf('shortcut');
    this.rootIndex = Number.isSafeInteger(snap.root_index) ? snap.root_index! / nf.length : 0;
    if (!Number.isSafeInteger(this.rootIndex) || this.rootIndex >= nodeCount!)
      this.fail('bad root_index', at);
    this.meta = meta;
    const keepGraph = nodeCount! <= this.opts.maxObjects;
    this.data = {
      meta,
      nodeCount: nodeCount!,
      edgeCount: edgeCount!,
      nodeType: new Uint8Array(nodeCount!),
      nodeName: new Uint32Array(nodeCount!),
      nodeId: new Float64Array(nodeCount!),
      selfSize: new Float64Array(nodeCount!),
      edgeStart: keepGraph ? new Uint32Array(nodeCount! + 1) : null,
      edgeTo: keepGraph ? new Int32Array(edgeCount!) : null,
      strings: [],
      rootIndex: this.rootIndex,
      userRoots: [],
    };
  }

  private beginNumbers(section: string): void {
    this.field = 0;
    this.index = 0;
    this.num = -1;
    this.numArrayOpen = true;
    if (section === 'edges') {
      this.edgeSource = 0;
      this.edgesLeftForSource = 0;
      this.edgeOut = 0;
      this.nextEdgeSource();
    }
  }

  private nextEdgeSource(): void {
    const d = this.data!;
    // Sources with no edges are skipped over; their CSR range is empty.
    while (this.edgesLeftForSource === 0 && this.edgeSource < d.nodeCount) {
      if (d.edgeStart) d.edgeStart[this.edgeSource] = this.edgeOut;
      this.edgesLeftForSource = this.pendingEdgeCounts![this.edgeSource]!;
      if (this.edgesLeftForSource === 0) this.edgeSource++;
    }
  }

  private pendingEdgeCounts: Uint32Array | null = null;

  /** Parses numbers for "nodes" until the closing bracket or the end of buf. */
  private nodeNumbers(buf: Buffer, p: number, base: number): number {
    const d = this.data!;
    const n = buf.length;
    const nf = this.nodeFieldCount;
    const role = this.nodeRole;
    if (!this.pendingEdgeCounts) this.pendingEdgeCounts = new Uint32Array(d.nodeCount);
    const counts = this.pendingEdgeCounts;
    let num = this.num;
    let field = this.field;
    let index = this.index;
    for (; p < n; p++) {
      const c = buf[p]!;
      const cls = charClass[c]!;
      if (cls === DIGIT) {
        num = num < 0 ? c - 48 : num * 10 + (c - 48);
        continue;
      }
      if (num >= 0) {
        if (index >= d.nodeCount) this.fail(`more nodes than node_count ${d.nodeCount}`, base + p);
        switch (role[field]) {
          case 1:
            d.nodeType[index] = num;
            break;
          case 2:
            d.nodeName[index] = num;
            break;
          case 3:
            d.nodeId[index] = num;
            break;
          case 4:
            d.selfSize[index] = num;
            break;
          case 5:
            counts[index] = num;
            break;
        }
        num = -1;
        if (++field === nf) {
          field = 0;
          index++;
        }
      }
      if (cls === WS || c === 0x2c) continue;
      if (c === 0x5d) {
        if (field !== 0 || index !== d.nodeCount)
          this.fail(`"nodes" holds ${index} nodes, node_count says ${d.nodeCount}`, base + p);
        this.state = S_KEY;
        this.num = -1;
        return p + 1;
      }
      this.fail(`unexpected ${JSON.stringify(String.fromCharCode(c))} in "nodes"`, base + p);
    }
    this.num = num;
    this.field = field;
    this.index = index;
    return p;
  }

  private edgeNumbers(buf: Buffer, p: number, base: number): number {
    const d = this.data!;
    const n = buf.length;
    const ef = this.edgeFieldCount;
    const role = this.edgeRole;
    const nf = this.nodeFieldCount;
    const edgeTo = d.edgeTo;
    let num = this.num;
    let field = this.field;
    for (; p < n; p++) {
      const c = buf[p]!;
      const cls = charClass[c]!;
      if (cls === DIGIT) {
        num = num < 0 ? c - 48 : num * 10 + (c - 48);
        continue;
      }
      if (num >= 0) {
        const r = role[field];
        if (r === 1) this.edgeType = num;
        else if (r === 3) {
          if (this.edgeSource >= d.nodeCount)
            this.fail(`more edges than the nodes' edge_count sum (${this.index})`, base + p);
          const to = num / nf;
          if (to !== Math.floor(to) || to >= d.nodeCount)
            this.fail(`edge to_node ${num} is not a node`, base + p);
          // Weak edges do not retain; shortcuts (except the root's, which mark user roots) duplicate paths.
          const t = this.edgeType;
          if (t === this.shortcutType && this.edgeSource === this.rootIndex) d.userRoots.push(to);
          if (this.index >= d.edgeCount) this.fail(`more edges than edge_count ${d.edgeCount}`, base + p);
          if (
            edgeTo &&
            t !== this.weakType &&
            (t !== this.shortcutType || this.edgeSource === this.rootIndex)
          )
            edgeTo[this.edgeOut++] = to;
          this.index++;
          if (--this.edgesLeftForSource === 0) {
            this.edgeSource++;
            this.nextEdgeSource();
          }
        }
        num = -1;
        if (++field === ef) field = 0;
      }
      if (cls === WS || c === 0x2c) continue;
      if (c === 0x5d) {
        if (field !== 0 || this.edgeSource < d.nodeCount)
          this.fail(`"edges" ends after ${this.index} edges, the nodes declare more`, base + p);
        if (d.edgeStart) {
          d.edgeStart[d.nodeCount] = this.edgeOut;
          d.edgeTo = edgeTo!.subarray(0, this.edgeOut);
        }
        this.pendingEdgeCounts = null;
        this.state = S_KEY;
        this.num = -1;
        return p + 1;
      }
      this.fail(`unexpected ${JSON.stringify(String.fromCharCode(c))} in "edges"`, base + p);
    }
    this.num = num;
    this.field = field;
    return p;
  }

  private beginStrings(): void {
    this.index = 0;
    this.inString = false;
    this.strParts = [];
    this.wanted = this.opts.wantStrings ? this.opts.wantStrings(this.data!) : null;
  }

  private stringValues(buf: Buffer, p: number, base: number): number {
    const n = buf.length;
    const d = this.data!;
    const wanted = this.wanted;
    while (p < n) {
      if (!this.inString) {
        const c = buf[p]!;
        if (charClass[c] === WS || c === 0x2c) {
          p++;
          continue;
        }
        if (c === 0x5d) {
          this.state = S_KEY;
          return p + 1;
        }
        if (c !== 0x22)
          this.fail(`unexpected ${JSON.stringify(String.fromCharCode(c))} in "strings"`, base + p);
        this.inString = true;
        this.escape = false;
        this.strEscaped = false;
        this.strParts = [];
        p++;
        continue;
      }
      const want = wanted === null || (this.index < wanted.length && wanted[this.index] === 1);
      let q = p;
      let closed = false;
      for (; q < n; q++) {
        const c = buf[q]!;
        if (this.escape) {
          this.escape = false;
          continue;
        }
        if (c === 0x5c) {
          this.escape = true;
          this.strEscaped = true;
        } else if (c === 0x22) {
          closed = true;
          break;
        }
      }
      if (want) this.strParts.push(closed ? buf.subarray(p, q) : Buffer.from(buf.subarray(p, q)));
      if (!closed) return n;
      if (want) {
        const raw = this.strParts.length === 1 ? this.strParts[0]! : Buffer.concat(this.strParts);
        let s: string;
        if (!this.strEscaped) s = raw.toString('utf8');
        else {
          try {
            s = JSON.parse(`"${raw.toString('utf8')}"`) as string;
          } catch {
            this.fail(`bad escape in string ${this.index}`, base + q);
          }
        }
        d.strings[this.index] = s;
      }
      this.strParts = [];
      this.index++;
      this.inString = false;
      p = q + 1;
    }
    return p;
  }
}
