// The flame graph view: toolbar (merged "left heavy" or time order, icicle or flame, colour by
// package or heat, search), breadcrumbs, the canvas, a details line for the selected frame and the
// table of functions. Keyboard: arrows move between frames, Enter zooms, Escape zooms out, Home
// resets, O opens the source, / searches.
import type { FlameProfile } from '../../src/core/profile/model';
import type { PageMessage } from './protocol';
import { FlameCanvas, type Hit, type Lane } from './flame-canvas';
import {
  ancestors,
  layoutTrack,
  layoutTree,
  nodeRange,
  panRange,
  trackRows,
  trackSpan,
  zoomRange,
  type ViewRange,
} from './layout';
import {
  colourKey,
  heatColour,
  heatOf,
  packageColour,
  themeKindOf,
  type BoxColour,
  type ThemeKind,
} from './colour';
import { matchFrames, matchedShare, parseQuery, singleFrame } from './search';
import {
  filterFunctions,
  functionTable,
  sortFunctions,
  type FunctionSort,
  type FunctionTableData,
} from './functions';
import { formatLocation, formatPercent, formatWeight } from './format';
import { button, el, placeTooltip, segmented } from './dom';

export interface FlameState {
  view: 'merged' | 'time';
  orientation: 'icicle' | 'flame';
  colour: 'package' | 'heat';
  search: string;
  sort: FunctionSort;
  /** Frame names from the root's child down to the zoomed node (merged view). */
  zoom: string[];
}

export interface FlameHost {
  post(m: PageMessage): void;
  saveState(s: FlameState): void;
  notify(message: string): void;
}

const FORMAT_LABELS: Record<FlameProfile['format'], string> = {
  cpuprofile: 'V8 CPU profile',
  heapprofile: 'V8 sampling heap profile',
  collapsed: 'collapsed stacks',
  'perf-script': 'perf script',
  speedscope: 'speedscope',
  'chrome-trace': 'Chrome trace',
  pprof: 'pprof',
  'flamegraph-svg': 'flame graph SVG',
};
const TABLE_ROWS = 250;
const MIN_PX = 0.5;

export class FlameView {
  private readonly canvas: FlameCanvas;
  private readonly table: FunctionTableData;
  private readonly state: FlameState;
  private readonly maxRows: number;
  private readonly span: [number, number];
  private theme: ThemeKind;
  private colours: (BoxColour | undefined)[] = [];
  private rootColour: BoxColour;
  private searchMatch: Uint8Array | undefined;
  private focusFrame = -1;
  private zoomNode = 0;
  private selected: Hit | undefined;

  private readonly breadcrumbs = el('nav', 'breadcrumbs');
  private readonly searchInput = el('input', 'search');
  private readonly searchResult = el('span', 'search-result');
  private readonly details = el('div', 'details');
  private readonly tooltip = el('div', 'tooltip');
  private readonly tbody = el('tbody');
  private readonly tableNote = el('p', 'table-note');
  private readonly sortButtons = new Map<FunctionSort, HTMLButtonElement>();
  private readonly canvasWrap = el('div', 'canvas-wrap');

  constructor(
    root: HTMLElement,
    private readonly p: FlameProfile,
    private readonly file: string,
    private readonly host: FlameHost,
    initial: Partial<FlameState> = {},
  ) {
    this.table = functionTable(p);
    const hasTracks = p.tracks.some((t) => t.events.length > 0);
    this.state = {
      view:
        hasTracks && (initial.view ?? (p.kind === 'trace' ? 'time' : 'merged')) === 'time'
          ? 'time'
          : 'merged',
      orientation: initial.orientation === 'flame' ? 'flame' : 'icicle',
      colour: initial.colour === 'heat' ? 'heat' : 'package',
      search: typeof initial.search === 'string' ? initial.search : '',
      sort: initial.sort === 'total' || initial.sort === 'name' ? initial.sort : 'self',
      zoom: Array.isArray(initial.zoom) ? initial.zoom.filter((s) => typeof s === 'string') : [],
    };
    let maxDepth = 0;
    for (let i = 0; i < p.tree.length; i++) maxDepth = Math.max(maxDepth, p.tree.depth[i] as number);
    this.maxRows = maxDepth + 1;
    let t0 = Infinity;
    let t1 = -Infinity;
    for (const t of p.tracks) {
      if (!t.events.length) continue;
      const [a, b] = trackSpan(t.events);
      t0 = Math.min(t0, a);
      t1 = Math.max(t1, b);
    }
    this.span = t0 < t1 ? [t0, t1] : [0, 1];
    this.theme = themeKindOf(document.body.classList);
    this.rootColour = this.neutral();

    const view = el('div', 'flame-view');
    view.append(this.header(hasTracks), this.breadcrumbs);
    this.canvasWrap.append(this.tooltip);
    this.tooltip.hidden = true;
    this.tooltip.setAttribute('role', 'tooltip');
    view.append(this.canvasWrap, this.details, this.functionTable());
    root.replaceChildren(view);

    this.canvas = new FlameCanvas(this.canvasWrap, {
      hover: (hit, x, y) => this.hover(hit, x, y),
      click: (hit, e) => this.click(hit, e),
      rangeChanged: (r) => this.rangeChanged(r),
    });
    this.canvas.canvas.setAttribute('role', 'application');
    this.canvas.canvas.setAttribute(
      'aria-label',
      'Flame graph. Arrow keys move between frames, Enter zooms in, Escape zooms out, Home resets the zoom, O opens the source, slash searches.',
    );
    this.canvas.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.canvas.addEventListener('focus', () => {
      if (!this.selected)
        this.select({ lane: 0, item: this.state.view === 'merged' ? this.zoomNode : 0 }, false);
    });
    view.addEventListener('keydown', (e) => {
      if (e.key === '/' && document.activeElement !== this.searchInput) {
        e.preventDefault();
        this.searchInput.focus();
        this.searchInput.select();
      }
    });
    new MutationObserver(() => this.themeChanged()).observe(document.body, {
      attributes: true,
      attributeFilter: ['class'],
    });

    this.searchInput.value = this.state.search;
    this.applySearch(false);
    this.setView(this.state.view, false);
    if (this.state.view === 'merged' && this.state.zoom.length)
      this.zoomTo(this.nodeAtPath(this.state.zoom), false);
    this.renderTable();
  }

  /** Draws now (the e2e test and the bench wait for it); returns the boxes drawn. */
  drawNow(): number {
    return this.canvas.draw();
  }

  // ---- building the page ------------------------------------------------------------------

  private header(hasTracks: boolean): HTMLElement {
    const p = this.p;
    const box = el('header', 'view-header');
    const title = el('h1', 'file-title', this.file);
    const total = p.tree.length ? (p.tree.total[0] as number) : 0;
    const facts = [
      FORMAT_LABELS[p.format],
      p.kind === 'allocation' ? 'allocations' : p.kind === 'trace' ? 'trace' : 'CPU',
      `${formatWeight(total, p.unit)} in all`,
      `${this.table.rows.length} functions`,
    ];
    if (p.tracks.length) facts.push(`${p.tracks.length} ${p.tracks.length === 1 ? 'track' : 'tracks'}`);
    if (p.name) facts.unshift(p.name);
    const meta = el('p', 'meta', facts.join(' · '));
    box.append(title, meta);
    if (p.truncated) box.append(el('p', 'banner warning', `Truncated: ${p.truncated}`));
    if (p.warnings.length) {
      const d = el('details', 'banner');
      d.append(
        el(
          'summary',
          undefined,
          `${p.warnings.length} repair${p.warnings.length === 1 ? '' : 's'} made while reading`,
        ),
      );
      const ul = el('ul');
      for (const w of p.warnings.slice(0, 50)) ul.append(el('li', undefined, w));
      d.append(ul);
      box.append(d);
    }

    const bar = el('div', 'toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Flame graph');
    if (hasTracks) {
      const v = segmented(
        'View',
        [
          { value: 'merged', label: 'Left heavy', title: 'Identical stacks merged, heaviest first' },
          { value: 'time', label: 'Time order', title: 'Calls in time order, one lane per thread or stream' },
        ] as const,
        this.state.view,
        (value) => this.setView(value, true),
      );
      bar.append(v.root);
    }
    bar.append(
      segmented(
        'Orientation',
        [
          { value: 'icicle', label: 'Icicle', title: 'Root at the top' },
          { value: 'flame', label: 'Flame', title: 'Root at the bottom' },
        ] as const,
        this.state.orientation,
        (value) => {
          this.state.orientation = value;
          this.canvas.flame = value === 'flame';
          this.canvas.scrollY = 0;
          this.canvas.requestDraw();
          this.save();
        },
      ).root,
      segmented(
        'Colour',
        [
          { value: 'package', label: 'By package', title: 'One colour per package, module or file' },
          { value: 'heat', label: 'By heat', title: 'Hotter colours for functions with more self time' },
        ] as const,
        this.state.colour,
        (value) => {
          this.state.colour = value;
          this.colours = [];
          this.canvas.requestDraw();
          this.save();
        },
      ).root,
    );
    this.searchInput.type = 'search';
    this.searchInput.placeholder = 'Search functions, files, packages (/regex/)';
    this.searchInput.setAttribute('aria-label', 'Search the flame graph');
    // Each search re-sorts and re-filters every function: wait for a pause in typing.
    let searchTimer: ReturnType<typeof setTimeout> | undefined;
    this.searchInput.addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => this.applySearch(true), 80);
    });
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        this.searchInput.value = '';
        this.applySearch(true);
      } else if (e.key === 'Enter') this.canvas.canvas.focus();
    });
    this.searchResult.setAttribute('aria-live', 'polite');
    bar.append(
      this.searchInput,
      this.searchResult,
      button('Reset zoom', () => this.resetZoom(), 'Show the whole profile (Home)'),
    );
    box.append(bar);
    return box;
  }

  private functionTable(): HTMLElement {
    const wrap = el('div', 'table-wrap');
    const table = el('table', 'functions');
    table.setAttribute('aria-label', 'Functions by self and total weight');
    const head = el('thead');
    const tr = el('tr');
    const col = (label: string, sort?: FunctionSort, cls?: string): HTMLTableCellElement => {
      const th = el('th', cls);
      th.scope = 'col';
      if (sort) {
        const b = button(
          label,
          () => {
            this.state.sort = sort;
            this.renderTable();
            this.save();
          },
          `Sort by ${label.toLowerCase()}`,
        );
        this.sortButtons.set(sort, b);
        th.append(b);
      } else th.textContent = label;
      return th;
    };
    tr.append(
      col('Self', 'self', 'num'),
      col('Self %', undefined, 'num'),
      col('Total', 'total', 'num'),
      col('Total %', undefined, 'num'),
      col('Function', 'name'),
      col('Location'),
    );
    head.append(tr);
    table.append(head, this.tbody);
    wrap.append(table, this.tableNote);
    return wrap;
  }

  // ---- lanes ------------------------------------------------------------------------------

  private setView(view: FlameState['view'], save: boolean): void {
    this.state.view = view;
    this.selected = undefined;
    this.canvas.selected = undefined;
    this.canvas.flame = this.state.orientation === 'flame';
    if (view === 'merged') {
      const tree = this.p.tree;
      const lane: Lane = {
        rows: this.maxRows,
        layout: (range, w, out) => layoutTree(tree, range, w, MIN_PX, out),
        label: (node) => (node === 0 ? this.rootLabel() : this.frameLabel(tree.frame[node] as number)),
        colour: (node) => this.colourOf(tree.frame[node] as number),
        dimmed: (node) => this.dimmed(tree.frame[node] as number),
      };
      this.canvas.setLanes([lane]);
      this.canvas.range = nodeRange(tree, this.zoomNode);
    } else {
      const [t0, t1] = this.span;
      const lanes: Lane[] = this.p.tracks
        .filter((t) => t.events.length > 0)
        .map((t) => ({
          title: `${t.name}${t.kind === 'gpu' ? ' (GPU)' : ''}`,
          rows: trackRows(t.events),
          layout: (range, w, out) =>
            layoutTrack(t.events, t0 + range.lo * (t1 - t0), t0 + range.hi * (t1 - t0), w, MIN_PX, out),
          label: (ev) => this.frameLabel(t.events.frame[ev] as number),
          colour: (ev) => this.colourOf(t.events.frame[ev] as number),
          dimmed: (ev) => this.dimmed(t.events.frame[ev] as number),
        }));
      this.canvas.setLanes(lanes);
      this.canvas.range = { lo: 0, hi: 1 };
    }
    this.renderBreadcrumbs();
    this.renderDetails();
    if (save) this.save();
  }

  private get visibleTracks(): FlameProfile['tracks'] {
    return this.p.tracks.filter((t) => t.events.length > 0);
  }

  // ---- names, colours ---------------------------------------------------------------------

  private str(i: number): string | undefined {
    return i >= 0 ? this.p.strings[i] : undefined;
  }

  private frameLabel(frame: number): string {
    return frame < 0 ? this.rootLabel() : (this.str(this.p.frames.name[frame] as number) ?? '?');
  }

  private rootLabel(): string {
    return this.p.name ? `all (${this.p.name})` : 'all';
  }

  private frameFile(frame: number): string | undefined {
    return frame < 0 ? undefined : this.str(this.p.frames.file[frame] as number);
  }

  private framePackage(frame: number): string | undefined {
    return frame < 0 ? undefined : this.str(this.p.frames.pkg[frame] as number);
  }

  private neutral(): BoxColour {
    const light = this.theme === 'light' || this.theme === 'high-contrast-light';
    return light
      ? { fill: 'hsl(0, 0%, 82%)', text: '#1e1e1e' }
      : { fill: 'hsl(0, 0%, 30%)', text: '#f3f3f3' };
  }

  private colourOf(frame: number): BoxColour {
    if (frame < 0) return this.rootColour;
    let c = this.colours[frame];
    if (!c) {
      c =
        this.state.colour === 'heat'
          ? heatColour(heatOf(this.table.selfByFrame[frame] as number, this.table.maxSelf), this.theme)
          : packageColour(
              colourKey(this.framePackage(frame), this.frameFile(frame), this.frameLabel(frame)),
              this.theme,
            );
      this.colours[frame] = c;
    }
    return c;
  }

  private get highlight(): Uint8Array | undefined {
    return this.focusFrame >= 0 ? singleFrame(this.p.frames, this.focusFrame) : this.searchMatch;
  }

  private highlightCache: { key: number | Uint8Array | undefined; value: Uint8Array | undefined } = {
    key: undefined,
    value: undefined,
  };

  private dimmed(frame: number): boolean {
    const key = this.focusFrame >= 0 ? this.focusFrame : this.searchMatch;
    if (this.highlightCache.key !== key) this.highlightCache = { key, value: this.highlight };
    const h = this.highlightCache.value;
    return h !== undefined && !(frame >= 0 && h[frame] === 1);
  }

  private themeChanged(): void {
    const theme = themeKindOf(document.body.classList);
    this.theme = theme;
    this.colours = [];
    this.rootColour = this.neutral();
    this.canvas.readTheme();
    this.canvas.requestDraw();
  }

  // ---- search and the table -----------------------------------------------------------------

  private applySearch(save: boolean): void {
    const text = this.searchInput.value;
    this.state.search = text;
    const q = parseQuery(text);
    this.searchMatch = q.matcher ? matchFrames(this.p.strings, this.p.frames, q.matcher) : undefined;
    this.focusFrame = -1;
    this.searchInput.setAttribute('aria-invalid', String(Boolean(q.error)));
    this.updateShare(q.error);
    this.renderTable();
    this.canvas.requestDraw();
    if (save) this.save();
  }

  /** "12 functions · 37.5% of all · 50% of render" for the search or the table's focused function. */
  private updateShare(error?: string): void {
    if (error) {
      this.searchResult.textContent = error;
      return;
    }
    const h = this.highlight;
    if (!h) {
      this.searchResult.textContent = '';
      return;
    }
    let functions = 0;
    for (const r of this.table.rows) if (h[r.frame] === 1) functions++;
    const tree = this.p.tree;
    const all = matchedShare(tree, h, 0);
    const parts = [
      this.focusFrame >= 0
        ? this.frameLabel(this.focusFrame)
        : `${functions} ${functions === 1 ? 'function' : 'functions'}`,
      `${formatPercent(all.weight, all.of)} of all (${formatWeight(all.weight, this.p.unit)})`,
    ];
    if (this.state.view === 'merged' && this.zoomNode > 0) {
      const z = matchedShare(tree, h, this.zoomNode);
      parts.push(
        `${formatPercent(z.weight, z.of)} of ${this.frameLabel(tree.frame[this.zoomNode] as number)}`,
      );
    }
    this.searchResult.textContent = parts.join(' · ');
  }

  private renderTable(): void {
    for (const [sort, b] of this.sortButtons) {
      b.setAttribute('aria-pressed', String(sort === this.state.sort));
      b.parentElement?.setAttribute(
        'aria-sort',
        sort === this.state.sort ? (sort === 'name' ? 'ascending' : 'descending') : 'none',
      );
    }
    const sorted = sortFunctions(this.table.rows, this.state.sort, (f) => this.frameLabel(f));
    const { rows, hidden } = filterFunctions(sorted, this.searchMatch, TABLE_ROWS);
    const total = this.p.tree.length ? (this.p.tree.total[0] as number) : 0;
    const unit = this.p.unit;
    const maxSelf = this.table.maxSelf || 1;
    this.tbody.replaceChildren(
      ...rows.map((r) => {
        const tr = el('tr');
        tr.tabIndex = 0;
        tr.dataset['frame'] = String(r.frame);
        tr.setAttribute('aria-selected', String(r.frame === this.focusFrame));
        const selfCell = el('td', 'num bar-cell');
        const bar = el('span', 'bar');
        bar.style.width = `${(100 * r.self) / maxSelf}%`;
        selfCell.append(bar, el('span', 'bar-text', formatWeight(r.self, unit)));
        const file = this.frameFile(r.frame);
        const loc = el('td', 'location');
        if (file) {
          const line = this.p.frames.line[r.frame] as number;
          const link = button(
            formatLocation(file, line),
            (e) => {
              e.stopPropagation();
              this.openSource(r.frame);
            },
            'Open this source file',
          );
          link.className = 'link';
          loc.append(link);
        }
        tr.append(
          selfCell,
          el('td', 'num', formatPercent(r.self, total)),
          el('td', 'num', formatWeight(r.total, unit)),
          el('td', 'num', formatPercent(r.total, total)),
          el('td', 'name', this.frameLabel(r.frame)),
          loc,
        );
        tr.addEventListener('click', () => this.focusFunction(r.frame));
        tr.addEventListener('dblclick', () => this.zoomToFunction(r.frame));
        tr.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            if (e.key === 'Enter' && this.focusFrame === r.frame) this.zoomToFunction(r.frame);
            else this.focusFunction(r.frame);
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            (tr.nextElementSibling as HTMLElement | null)?.focus();
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            (tr.previousElementSibling as HTMLElement | null)?.focus();
          } else if (e.key === 'o' || e.key === 'O') this.openSource(r.frame);
        });
        return tr;
      }),
    );
    this.tableNote.textContent = hidden
      ? `${hidden} more ${hidden === 1 ? 'function' : 'functions'} not listed: search to narrow the table.`
      : rows.length
        ? ''
        : 'No function matches the search.';
  }

  /** Table row clicked: highlight that function in the graph (clicking it again clears). */
  private focusFunction(frame: number): void {
    this.focusFrame = this.focusFrame === frame ? -1 : frame;
    for (const tr of this.tbody.querySelectorAll('tr'))
      tr.setAttribute('aria-selected', String(Number(tr.dataset['frame']) === this.focusFrame));
    this.updateShare();
    if (this.focusFrame >= 0 && this.state.view === 'merged') {
      const node = this.heaviestNodeOf(frame);
      if (node > 0) {
        const inZoom = node >= this.zoomNode && node < (this.p.tree.subtreeEnd[this.zoomNode] as number);
        if (!inZoom) this.zoomTo(0, true);
        this.select({ lane: 0, item: node }, true);
      }
    }
    this.canvas.requestDraw();
  }

  private zoomToFunction(frame: number): void {
    if (this.state.view !== 'merged') this.setView('merged', true);
    const node = this.heaviestNodeOf(frame);
    if (node > 0) this.zoomTo(node, true);
  }

  private heaviestNodeOf(frame: number): number {
    const tree = this.p.tree;
    let best = -1;
    for (let i = 1; i < tree.length; i++)
      if (tree.frame[i] === frame && (best < 0 || (tree.total[i] as number) > (tree.total[best] as number)))
        best = i;
    return best;
  }

  // ---- zoom, selection --------------------------------------------------------------------

  private nodeAtPath(path: readonly string[]): number {
    const tree = this.p.tree;
    let node = 0;
    for (const name of path) {
      let found = -1;
      const end = tree.subtreeEnd[node] as number;
      for (let c = node + 1; c < end; c = tree.subtreeEnd[c] as number)
        if (this.frameLabel(tree.frame[c] as number) === name) {
          found = c;
          break;
        }
      if (found < 0) break;
      node = found;
    }
    return node;
  }

  private zoomTo(node: number, save: boolean): void {
    const tree = this.p.tree;
    if (node < 0 || node >= tree.length) node = 0;
    this.zoomNode = node;
    this.canvas.range = nodeRange(tree, node);
    this.state.zoom = ancestors(tree, node)
      .slice(1)
      .map((n) => this.frameLabel(tree.frame[n] as number));
    this.renderBreadcrumbs();
    this.updateShare();
    this.canvas.requestDraw();
    if (save) this.save();
  }

  private zoomToEvent(lane: number, ev: number): void {
    const t = this.visibleTracks[lane];
    if (!t) return;
    const [t0, t1] = this.span;
    const s = t.events.start[ev] as number;
    const e = t.events.end[ev] as number;
    if (!(e > s)) return;
    this.canvas.range = { lo: (s - t0) / (t1 - t0), hi: (e - t0) / (t1 - t0) };
    this.renderBreadcrumbs();
    this.canvas.requestDraw();
  }

  private resetZoom(): void {
    if (this.state.view === 'merged') this.zoomTo(0, true);
    else {
      this.canvas.range = { lo: 0, hi: 1 };
      this.renderBreadcrumbs();
      this.canvas.requestDraw();
    }
  }

  private zoomOut(): void {
    if (this.state.view === 'merged' && this.zoomNode > 0) {
      this.zoomTo(this.p.tree.parent[this.zoomNode] as number, true);
      return;
    }
    this.canvas.range = zoomRange(this.canvas.range, 2, 0.5);
    this.rangeChanged(this.canvas.range);
    this.canvas.requestDraw();
  }

  private rangeChanged(r: ViewRange): void {
    if (this.state.view === 'merged' && this.zoomNode > 0) {
      const z = nodeRange(this.p.tree, this.zoomNode);
      if (r.lo < z.lo - 1e-12 || r.hi > z.hi + 1e-12) this.zoomTo(0, true);
      this.canvas.range = r;
    }
    this.renderBreadcrumbs();
  }

  private renderBreadcrumbs(): void {
    const nav = this.breadcrumbs;
    nav.setAttribute('aria-label', 'Zoom path');
    if (this.state.view === 'merged') {
      const tree = this.p.tree;
      const path = ancestors(tree, this.zoomNode);
      nav.replaceChildren(
        ...path.flatMap((node, i) => {
          const b = button(node === 0 ? this.rootLabel() : this.frameLabel(tree.frame[node] as number), () =>
            this.zoomTo(node, true),
          );
          if (i === path.length - 1) b.setAttribute('aria-current', 'location');
          return i ? [el('span', 'sep', '›'), b] : [b];
        }),
      );
    } else {
      const [t0, t1] = this.span;
      const r = this.canvas?.range ?? { lo: 0, hi: 1 };
      const unit = this.p.timeUnit ?? this.p.unit;
      const whole = button('Whole trace', () => this.resetZoom());
      if (r.lo <= 0 && r.hi >= 1) whole.setAttribute('aria-current', 'location');
      nav.replaceChildren(
        whole,
        el(
          'span',
          'window',
          `showing ${formatWeight(r.lo * (t1 - t0), unit)} – ${formatWeight(r.hi * (t1 - t0), unit)} of ${formatWeight(t1 - t0, unit)}`,
        ),
      );
    }
  }

  private select(hit: Hit | undefined, reveal: boolean): void {
    this.selected = hit;
    this.canvas.selected = hit;
    if (hit && reveal) this.reveal(hit);
    this.renderDetails();
    this.canvas.requestDraw();
  }

  private reveal(hit: Hit): void {
    if (this.state.view === 'merged') {
      const tree = this.p.tree;
      const r = nodeRange(tree, hit.item);
      const view = this.canvas.range;
      if (r.hi <= view.lo || r.lo >= view.hi) {
        this.canvas.range = panRange(view, (r.lo + r.hi) / 2 - (view.lo + view.hi) / 2);
        this.rangeChanged(this.canvas.range);
      }
      this.canvas.revealRow(0, tree.depth[hit.item] as number);
    } else {
      const t = this.visibleTracks[hit.lane];
      if (!t) return;
      const [t0, t1] = this.span;
      const lo = ((t.events.start[hit.item] as number) - t0) / (t1 - t0);
      const hi = ((t.events.end[hit.item] as number) - t0) / (t1 - t0);
      const view = this.canvas.range;
      if (hi <= view.lo || lo >= view.hi)
        this.canvas.range = panRange(view, (lo + hi) / 2 - (view.lo + view.hi) / 2);
      this.canvas.revealRow(hit.lane, t.events.depth[hit.item] as number);
      this.renderBreadcrumbs();
    }
  }

  private frameOfHit(hit: Hit): number {
    if (this.state.view === 'merged') return this.p.tree.frame[hit.item] as number;
    return (this.visibleTracks[hit.lane]?.events.frame[hit.item] as number | undefined) ?? -1;
  }

  /** Name, location and weights of a hit, as lines for the tooltip and the details line. */
  private describe(hit: Hit): { name: string; location: string; lines: string[] } {
    const frame = this.frameOfHit(hit);
    const name = this.frameLabel(frame);
    const file = this.frameFile(frame);
    const location = frame >= 0 ? formatLocation(file, this.p.frames.line[frame] as number) : '';
    const pkg = this.framePackage(frame);
    const lines: string[] = [];
    if (this.state.view === 'merged') {
      const tree = this.p.tree;
      const unit = this.p.unit;
      const all = tree.total[0] as number;
      const total = tree.total[hit.item] as number;
      const self = tree.self[hit.item] as number;
      let t = `Total ${formatWeight(total, unit)} (${formatPercent(total, all)})`;
      if (this.zoomNode > 0 && hit.item !== this.zoomNode)
        t += `, ${formatPercent(total, tree.total[this.zoomNode] as number)} of the zoomed frame`;
      lines.push(t, `Self ${formatWeight(self, unit)} (${formatPercent(self, all)})`);
    } else {
      const t = this.visibleTracks[hit.lane];
      if (t) {
        const unit = this.p.timeUnit ?? this.p.unit;
        const s = t.events.start[hit.item] as number;
        const e = t.events.end[hit.item] as number;
        lines.push(
          `Duration ${formatWeight(e - s, unit)}`,
          `Starts at ${formatWeight(s - this.span[0], unit)}`,
          t.name,
        );
      }
    }
    if (pkg) lines.push(`Package ${pkg}`);
    return { name, location, lines };
  }

  private hover(hit: Hit | undefined, x: number, y: number): void {
    if (!hit) {
      this.tooltip.hidden = true;
      return;
    }
    const d = this.describe(hit);
    this.tooltip.replaceChildren(el('strong', undefined, d.name));
    if (d.location) this.tooltip.append(el('div', 'location', d.location));
    for (const l of d.lines) this.tooltip.append(el('div', undefined, l));
    if (d.location) this.tooltip.append(el('div', 'hint', 'Ctrl+click opens the source'));
    placeTooltip(this.tooltip, this.canvasWrap, x, y);
  }

  private click(hit: Hit | undefined, e: MouseEvent): void {
    if (!hit) return;
    if (e.ctrlKey || e.metaKey || e.altKey) {
      this.select(hit, false);
      this.openSource(this.frameOfHit(hit));
      return;
    }
    this.select(hit, false);
    if (this.state.view === 'merged') this.zoomTo(hit.item, true);
    else this.zoomToEvent(hit.lane, hit.item);
  }

  private renderDetails(): void {
    const hit = this.selected;
    this.details.setAttribute('aria-live', 'polite');
    if (!hit) {
      this.details.replaceChildren(
        el(
          'span',
          'hint',
          'Click a frame to zoom in; Ctrl+click or O opens its source. Drag or Shift+wheel pans, Ctrl+wheel zooms.',
        ),
      );
      return;
    }
    const d = this.describe(hit);
    const frame = this.frameOfHit(hit);
    const parts = [el('strong', undefined, d.name), el('span', undefined, d.lines.join(' · '))];
    if (d.location) {
      const open = button(`Open ${d.location}`, () => this.openSource(frame), 'Open this source file (O)');
      open.className = 'link';
      parts.push(open);
    }
    this.details.replaceChildren(...parts);
  }

  private openSource(frame: number): void {
    const file = this.frameFile(frame);
    if (frame < 0 || !file) {
      this.host.notify(`${this.frameLabel(frame)} has no source location in this profile.`);
      return;
    }
    this.host.post({
      type: 'openSource',
      file,
      line: this.p.frames.line[frame] as number,
      column: this.p.frames.column[frame] as number,
    });
  }

  // ---- keyboard ---------------------------------------------------------------------------

  private onKey(e: KeyboardEvent): void {
    const hit = this.selected;
    const up = this.state.orientation === 'icicle' ? 'ArrowUp' : 'ArrowDown';
    const down = this.state.orientation === 'icicle' ? 'ArrowDown' : 'ArrowUp';
    let handled = true;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') this.moveSideways(e.key === 'ArrowLeft' ? -1 : 1);
    else if (e.key === up) this.moveToParent();
    else if (e.key === down) this.moveToChild();
    else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      if (hit) this.openSource(this.frameOfHit(hit));
    } else if (e.key === 'Enter' || e.key === ' ') {
      if (hit && this.state.view === 'merged') this.zoomTo(hit.item, true);
      else if (hit) this.zoomToEvent(hit.lane, hit.item);
    } else if (e.key === 'Escape' || e.key === 'Backspace') this.zoomOut();
    else if (e.key === 'Home') this.resetZoom();
    else if (e.key === 'o' || e.key === 'O') {
      if (hit) this.openSource(this.frameOfHit(hit));
    } else if (e.key === '+' || e.key === '=') {
      this.canvas.range = zoomRange(this.canvas.range, 0.5, 0.5);
      this.rangeChanged(this.canvas.range);
      this.canvas.requestDraw();
    } else if (e.key === '-' || e.key === '_') this.zoomOut();
    else handled = false;
    if (handled) e.preventDefault();
  }

  private moveSideways(dir: -1 | 1): void {
    const hit = this.selected;
    if (!hit) return this.select({ lane: 0, item: 0 }, true);
    if (this.state.view === 'merged') {
      const tree = this.p.tree;
      const node = hit.item;
      if (node === 0) return;
      const parent = tree.parent[node] as number;
      const kids: number[] = [];
      for (let c = parent + 1; c < (tree.subtreeEnd[parent] as number); c = tree.subtreeEnd[c] as number)
        kids.push(c);
      const next = kids[kids.indexOf(node) + dir];
      if (next !== undefined) this.select({ lane: 0, item: next }, true);
      return;
    }
    const t = this.visibleTracks[hit.lane];
    if (!t) return;
    const depth = t.events.depth[hit.item] as number;
    for (let i = hit.item + dir; i >= 0 && i < t.events.length; i += dir) {
      const d = t.events.depth[i] as number;
      if (d < depth) break;
      if (d === depth) return this.select({ lane: hit.lane, item: i }, true);
    }
  }

  private moveToParent(): void {
    const hit = this.selected;
    if (!hit) return this.select({ lane: 0, item: 0 }, true);
    if (this.state.view === 'merged') {
      const p = this.p.tree.parent[hit.item] as number;
      if (p >= 0) this.select({ lane: 0, item: p }, true);
      return;
    }
    const t = this.visibleTracks[hit.lane];
    if (!t) return;
    const depth = t.events.depth[hit.item] as number;
    if (depth === 0) {
      if (hit.lane > 0) this.select({ lane: hit.lane - 1, item: 0 }, true);
      return;
    }
    for (let i = hit.item - 1; i >= 0; i--)
      if ((t.events.depth[i] as number) === depth - 1) return this.select({ lane: hit.lane, item: i }, true);
  }

  private moveToChild(): void {
    const hit = this.selected;
    if (!hit) return this.select({ lane: 0, item: 0 }, true);
    if (this.state.view === 'merged') {
      const tree = this.p.tree;
      const c = hit.item + 1;
      if (c < tree.length && tree.parent[c] === hit.item) this.select({ lane: 0, item: c }, true);
      return;
    }
    const t = this.visibleTracks[hit.lane];
    if (!t) return;
    const i = hit.item + 1;
    if (i < t.events.length && (t.events.depth[i] as number) === (t.events.depth[hit.item] as number) + 1)
      this.select({ lane: hit.lane, item: i }, true);
    else if (this.visibleTracks[hit.lane + 1]) this.select({ lane: hit.lane + 1, item: 0 }, true);
  }

  private save(): void {
    this.host.saveState({ ...this.state, zoom: [...this.state.zoom] });
  }
}
