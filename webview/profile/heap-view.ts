// The heap dump view: the class histogram as a sortable, filterable table with bars; a treemap of
// retained size by dominator (canvas; click to go down a level, breadcrumbs or Escape to go up);
// and the top retainers of the selected class, each with its dominator path from the GC roots.
import type {
  HeapOverview,
  HostMessage,
  PageMessage,
  RetainerView,
  TreemapItem,
  TreemapLeaf,
} from './protocol';
import { columnMax, filterClasses, sortClasses, type HistogramSort } from './histogram';
import { parseQuery } from './search';
import { inset, rectAt, squarify, type Rect } from './treemap';
import { packageColour, themeKindOf, type ThemeKind } from './colour';
import { formatBytes, formatCount, formatPercent } from './format';
import { button, el, fitCanvas, fitText, placeTooltip, themeVar } from './dom';

export interface HeapState {
  sort: HistogramSort;
  filter: string;
  /** Name of the class whose retainers are shown. */
  selectedClass?: string;
  /** Treemap level shown (object index; -1 = the GC roots). */
  treemapNode: number;
}

export interface HeapHost {
  post(m: PageMessage): void;
  saveState(s: HeapState): void;
  notify(message: string): void;
}

type TreemapMessage = Extract<HostMessage, { type: 'treemap' }>;
type RetainersMessage = Extract<HostMessage, { type: 'retainers' }>;

const TABLE_ROWS = 500;
const HEADER = 16;

interface Tile {
  rect: Rect;
  leaf: TreemapLeaf;
  /** Index in the level's items; -1 for a nested child, -2 for "the rest". */
  item: number;
  depth: 0 | 1;
}

const FORMAT_LABELS: Record<HeapOverview['format'], string> = {
  hprof: 'Java heap dump (.hprof)',
  heapsnapshot: 'V8 heap snapshot',
};

export class HeapView {
  private readonly state: HeapState;
  private readonly tbody = el('tbody');
  private readonly tableNote = el('p', 'table-note');
  private readonly sortButtons = new Map<HistogramSort, HTMLButtonElement>();
  private readonly filterInput = el('input', 'search');
  private readonly crumbs = el('nav', 'breadcrumbs');
  private readonly canvas = el('canvas', 'treemap');
  private readonly mapWrap = el('div', 'treemap-wrap');
  private readonly tooltip = el('div', 'tooltip');
  private readonly mapStatus = el('p', 'treemap-status');
  private readonly retainers = el('div', 'retainers');
  private level: TreemapMessage | undefined;
  private tiles: Tile[] = [];
  private focusedTile = 0;
  private hovered: Tile | undefined;
  private theme: ThemeKind;
  private readonly hasDominators: boolean;

  constructor(
    root: HTMLElement,
    private readonly heap: HeapOverview,
    private readonly file: string,
    private readonly host: HeapHost,
    initial: Partial<HeapState> = {},
  ) {
    this.hasDominators = heap.reachableBytes !== undefined;
    this.state = {
      sort: (['name', 'count', 'shallow', 'retained'] as const).includes(initial.sort as HistogramSort)
        ? (initial.sort as HistogramSort)
        : 'shallow',
      filter: typeof initial.filter === 'string' ? initial.filter : '',
      treemapNode:
        typeof initial.treemapNode === 'number' &&
        initial.treemapNode >= -1 &&
        initial.treemapNode < heap.objects
          ? initial.treemapNode
          : -1,
      ...(typeof initial.selectedClass === 'string' ? { selectedClass: initial.selectedClass } : {}),
    };
    if (this.state.sort === 'retained' && !heap.histogram.retained) this.state.sort = 'shallow';
    this.theme = themeKindOf(document.body.classList);

    const view = el('div', 'heap-view');
    view.append(this.header(), this.body());
    root.replaceChildren(view);
    this.renderTable();
    new ResizeObserver(() => this.drawMap()).observe(this.canvas);
    new MutationObserver(() => {
      this.theme = themeKindOf(document.body.classList);
      this.drawMap();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    if (this.hasDominators) this.host.post({ type: 'treemap', node: this.state.treemapNode });
    const cls = this.state.selectedClass ? heap.histogram.names.indexOf(this.state.selectedClass) : -1;
    if (cls >= 0) this.selectClass(cls, false);
  }

  // ---- building the page ------------------------------------------------------------------

  private header(): HTMLElement {
    const h = this.heap;
    const box = el('header', 'view-header');
    const facts = [
      FORMAT_LABELS[h.format],
      `${formatCount(h.objects)} objects`,
      `${formatCount(h.histogram.names.length)} classes`,
      `${formatBytes(h.totalBytes)} shallow`,
    ];
    if (h.reachableBytes !== undefined) facts.push(`${formatBytes(h.reachableBytes)} reachable`);
    box.append(el('h1', 'file-title', this.file), el('p', 'meta', facts.join(' · ')));
    if (h.dominatorSkipped)
      box.append(
        el('p', 'banner warning', `${h.dominatorSkipped}: no retained sizes, treemap or retainers.`),
      );
    return box;
  }

  private body(): HTMLElement {
    const main = el('div', 'heap-main');
    const left = el('section', 'histogram');
    left.setAttribute('aria-label', 'Class histogram');
    const bar = el('div', 'toolbar');
    this.filterInput.type = 'search';
    this.filterInput.placeholder = 'Filter classes (/regex/)';
    this.filterInput.setAttribute('aria-label', 'Filter classes');
    this.filterInput.value = this.state.filter;
    let filterTimer: ReturnType<typeof setTimeout> | undefined;
    this.filterInput.addEventListener('input', () => {
      clearTimeout(filterTimer);
      filterTimer = setTimeout(() => {
        this.state.filter = this.filterInput.value;
        this.renderTable();
        this.save();
      }, 80);
    });
    bar.append(el('h2', undefined, 'Classes'), this.filterInput);
    const table = el('table', 'classes');
    table.setAttribute('aria-label', 'Classes by instances, shallow and retained size');
    const head = el('thead');
    const tr = el('tr');
    const col = (label: string, sort: HistogramSort, num: boolean): HTMLTableCellElement => {
      const th = el('th', num ? 'num' : undefined);
      th.scope = 'col';
      const b = button(
        label,
        () => {
          this.state.sort = sort;
          this.renderTable();
          this.save();
        },
        `Sort by ${label.toLowerCase()}`,
      );
      if (sort === 'retained' && !this.heap.histogram.retained) b.disabled = true;
      this.sortButtons.set(sort, b);
      th.append(b);
      return th;
    };
    tr.append(
      col('Class', 'name', false),
      col('Instances', 'count', true),
      col('Shallow', 'shallow', true),
      col('Retained', 'retained', true),
    );
    head.append(tr);
    table.append(head, this.tbody);
    const scroll = el('div', 'table-scroll');
    scroll.append(table, this.tableNote);
    left.append(bar, scroll);

    const right = el('section', 'heap-side');
    const mapPanel = el('div', 'treemap-panel');
    mapPanel.append(el('h2', undefined, 'Retained size by dominator'), this.crumbs);
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'application');
    this.canvas.setAttribute(
      'aria-label',
      'Treemap of retained size. Arrow keys move between objects, Enter opens one, Escape goes up a level.',
    );
    this.tooltip.hidden = true;
    this.tooltip.setAttribute('role', 'tooltip');
    this.mapWrap.append(this.canvas, this.tooltip);
    this.mapStatus.setAttribute('aria-live', 'polite');
    mapPanel.append(this.mapWrap, this.mapStatus);
    if (!this.hasDominators) this.mapStatus.textContent = 'No dominator tree for this dump.';
    this.canvas.addEventListener('pointermove', (e) => this.mapHover(e));
    this.canvas.addEventListener('pointerleave', () => {
      this.hovered = undefined;
      this.tooltip.hidden = true;
      this.drawMap();
    });
    this.canvas.addEventListener('click', (e) => {
      const t = this.tileAt(e);
      if (t) this.open(t);
    });
    this.canvas.addEventListener('keydown', (e) => this.mapKey(e));
    this.canvas.addEventListener('focus', () => this.drawMap());
    this.canvas.addEventListener('blur', () => this.drawMap());
    const retPanel = el('div', 'retainers-panel');
    retPanel.append(el('h2', undefined, 'Top retainers'), this.retainers);
    this.retainers.setAttribute('aria-live', 'polite');
    this.retainers.append(el('p', 'hint', 'Select a class to see what keeps its instances alive.'));
    right.append(mapPanel, retPanel);
    main.append(left, right);
    return main;
  }

  // ---- histogram --------------------------------------------------------------------------

  private renderTable(): void {
    const h = this.heap.histogram;
    for (const [sort, b] of this.sortButtons) {
      b.setAttribute('aria-pressed', String(sort === this.state.sort));
      b.parentElement?.setAttribute(
        'aria-sort',
        sort === this.state.sort ? (sort === 'name' ? 'ascending' : 'descending') : 'none',
      );
    }
    const q = parseQuery(this.state.filter);
    this.filterInput.setAttribute('aria-invalid', String(Boolean(q.error)));
    const order = sortClasses(h, this.state.sort);
    const { rows, hidden } = filterClasses(h, order, q.matcher, TABLE_ROWS);
    const max = { count: columnMax(h.count), shallow: columnMax(h.shallow), retained: columnMax(h.retained) };
    const barCell = (value: number | undefined, of: number, text: string): HTMLTableCellElement => {
      const td = el('td', 'num bar-cell');
      if (value === undefined) {
        td.textContent = '–';
        return td;
      }
      const bar = el('span', 'bar');
      bar.style.width = `${of > 0 ? (100 * value) / of : 0}%`;
      td.append(bar, el('span', 'bar-text', text));
      return td;
    };
    this.tbody.replaceChildren(
      ...rows.map((i) => {
        const tr = el('tr');
        tr.tabIndex = 0;
        tr.dataset['cls'] = String(i);
        tr.setAttribute('aria-selected', String(h.names[i] === this.state.selectedClass));
        const count = h.count[i] as number;
        const shallow = h.shallow[i] as number;
        const retained = h.retained?.[i];
        tr.append(
          el('td', 'name', h.names[i]),
          barCell(count, max.count, formatCount(count)),
          barCell(
            shallow,
            max.shallow,
            `${formatBytes(shallow)} (${formatPercent(shallow, this.heap.totalBytes)})`,
          ),
          barCell(retained, max.retained, retained === undefined ? '' : formatBytes(retained)),
        );
        tr.addEventListener('click', () => this.selectClass(i, true));
        tr.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            this.selectClass(i, true);
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            (tr.nextElementSibling as HTMLElement | null)?.focus();
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            (tr.previousElementSibling as HTMLElement | null)?.focus();
          }
        });
        return tr;
      }),
    );
    this.tableNote.textContent = q.error
      ? q.error
      : hidden
        ? `${hidden} more ${hidden === 1 ? 'class' : 'classes'} not listed: filter to narrow the table.`
        : rows.length
          ? ''
          : 'No class matches the filter.';
  }

  private selectClass(i: number, save: boolean): void {
    const name = this.heap.histogram.names[i];
    if (name === undefined) return;
    this.state.selectedClass = name;
    for (const tr of this.tbody.querySelectorAll('tr'))
      tr.setAttribute('aria-selected', String(Number(tr.dataset['cls']) === i));
    if (!this.hasDominators) {
      this.retainers.replaceChildren(
        el('p', 'hint', 'Retainers need the dominator tree, which was not built for this dump.'),
      );
    } else {
      this.retainers.replaceChildren(el('p', 'hint', `Finding what keeps ${name} alive…`));
      this.host.post({ type: 'retainers', classIndex: i });
    }
    if (save) this.save();
  }

  onRetainers(m: RetainersMessage): void {
    const name = this.heap.histogram.names[m.classIndex] ?? '?';
    if (name !== this.state.selectedClass) return;
    const title = el('p', 'retainers-title');
    title.append('Instances of ', el('strong', undefined, name), ' are kept alive by:');
    if (m.note || !m.retainers.length) {
      this.retainers.replaceChildren(el('p', 'hint', m.note ?? `No retainers found for ${name}.`));
      return;
    }
    const list = el('ol', 'retainer-list');
    for (const r of m.retainers) list.append(this.retainerItem(r));
    this.retainers.replaceChildren(title, list);
  }

  private retainerItem(r: RetainerView): HTMLElement {
    const li = el('li');
    if (r.object < 0) li.append(el('strong', undefined, 'GC roots directly'));
    else {
      const owner = button(
        `${r.className} #${r.object}`,
        () => {
          this.state.treemapNode = r.object;
          this.host.post({ type: 'treemap', node: r.object });
          this.save();
        },
        'Show this object in the treemap',
      );
      owner.className = 'link';
      li.append(owner);
    }
    li.append(
      el(
        'span',
        undefined,
        ` holds ${formatBytes(r.retainedBytes)} in ${formatCount(r.count)} ${r.count === 1 ? 'instance' : 'instances'}` +
          (r.object >= 0 ? ` (retains ${formatBytes(r.ownerRetainedBytes)} in all)` : ''),
      ),
    );
    if (r.path.length) li.append(el('div', 'path', ['GC root', ...r.path].join(' › ')));
    return li;
  }

  // ---- treemap ----------------------------------------------------------------------------

  onTreemap(m: TreemapMessage): void {
    this.level = m;
    this.state.treemapNode = m.node;
    this.focusedTile = 0;
    this.hovered = undefined;
    this.tooltip.hidden = true;
    const roots = button('GC roots', () => this.goTo(-1));
    const parts: HTMLElement[] = [roots];
    m.path.forEach((p) => {
      parts.push(el('span', 'sep', '›'));
      parts.push(button(`${p.className} (${formatBytes(p.retained)})`, () => this.goTo(p.object)));
    });
    (parts[parts.length - 1] as HTMLElement).setAttribute('aria-current', 'location');
    this.crumbs.setAttribute('aria-label', 'Treemap level');
    this.crumbs.replaceChildren(...parts);
    this.mapStatus.textContent = m.items.length
      ? `${formatCount(m.items.length + m.otherCount)} objects below, ${formatBytes(m.retained)} retained.`
      : 'This object dominates nothing else.';
    this.drawMap();
  }

  private goTo(node: number): void {
    this.state.treemapNode = node;
    this.host.post({ type: 'treemap', node });
    this.save();
  }

  private open(t: Tile): void {
    if (t.item === -2) {
      this.host.notify(`${t.leaf.className}: too small to show one by one.`);
      return;
    }
    const item = t.item >= 0 ? this.level?.items[t.item] : undefined;
    if (item && item.childCount === 0) {
      this.host.notify(`${item.className} #${item.object} dominates no other object.`);
      return;
    }
    this.goTo(t.leaf.object);
  }

  private layoutTiles(width: number, height: number): Tile[] {
    const m = this.level;
    if (!m) return [];
    const values = [...m.items.map((i) => i.retained), m.otherBytes];
    const rects = squarify(values, { x: 0, y: 0, w: width, h: height });
    const tiles: Tile[] = [];
    m.items.forEach((item: TreemapItem, k) => {
      const rect = rects[k] as Rect;
      if (rect.w <= 0 || rect.h <= 0) return;
      tiles.push({ rect, leaf: item, item: k, depth: 0 });
      const inner = inset({ x: rect.x, y: rect.y + HEADER, w: rect.w, h: rect.h - HEADER }, 2);
      if (inner.w < 12 || inner.h < 12 || !item.children.length) return;
      const childRects = squarify(
        item.children.map((c) => c.retained),
        { ...inner, h: inner.h },
      );
      // Children fill the box in proportion to the item's retained size; the rest is its own size.
      const shown = item.children.reduce((s, c) => s + c.retained, 0);
      const share = item.retained > 0 ? Math.min(1, shown / item.retained) : 0;
      item.children.forEach((c, j) => {
        const r = childRects[j] as Rect;
        const scaled = {
          x: inner.x + (r.x - inner.x) * Math.sqrt(share),
          y: inner.y + (r.y - inner.y) * Math.sqrt(share),
          w: r.w * Math.sqrt(share),
          h: r.h * Math.sqrt(share),
        };
        if (scaled.w >= 3 && scaled.h >= 3) tiles.push({ rect: scaled, leaf: c, item: -1, depth: 1 });
      });
    });
    const other = rects[m.items.length] as Rect;
    if (other.w > 0 && other.h > 0)
      tiles.push({
        rect: other,
        leaf: {
          object: -1,
          className: `${formatCount(m.otherCount)} smaller objects`,
          retained: m.otherBytes,
        },
        item: -2,
        depth: 0,
      });
    return tiles;
  }

  private drawMap(): void {
    const { width, height, ratio } = fitCanvas(this.canvas);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = themeVar('--vscode-editor-background', '#1e1e1e');
    ctx.fillRect(0, 0, width, height);
    this.tiles = this.layoutTiles(width, height);
    const font = themeVar('--vscode-font-family', 'sans-serif');
    ctx.font = `12px ${font}`;
    ctx.textBaseline = 'middle';
    const charWidth = ctx.measureText('abcdefghijklmnopqrstuvwxyz.ABC[]').width / 32 || 7;
    const border =
      themeVar('--vscode-contrastBorder', '') || themeVar('--vscode-editor-background', '#1e1e1e');
    const light = this.theme === 'light' || this.theme === 'high-contrast-light';
    for (const t of this.tiles) {
      const c =
        t.item === -2
          ? { fill: light ? 'hsl(0, 0%, 85%)' : 'hsl(0, 0%, 25%)', text: light ? '#1e1e1e' : '#f3f3f3' }
          : packageColour(t.leaf.className, this.theme);
      ctx.fillStyle = c.fill;
      if (t.depth === 1) ctx.globalAlpha = 0.75;
      ctx.fillRect(t.rect.x, t.rect.y, t.rect.w, t.rect.h);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = border;
      ctx.lineWidth = 1;
      ctx.strokeRect(t.rect.x + 0.5, t.rect.y + 0.5, t.rect.w - 1, t.rect.h - 1);
      const label = t.depth === 0 ? `${t.leaf.className} ${formatBytes(t.leaf.retained)}` : t.leaf.className;
      if (t.rect.w > 30 && t.rect.h > 14) {
        const text = fitText(label, t.rect.w - 8, charWidth);
        if (text) {
          ctx.fillStyle = c.text;
          ctx.fillText(
            text,
            t.rect.x + 4,
            t.rect.y + (t.depth === 0 ? HEADER / 2 + 1 : Math.min(HEADER / 2 + 1, t.rect.h / 2)),
          );
        }
      }
    }
    const focus = this.tiles.filter((t) => t.depth === 0)[this.focusedTile];
    const mark = (t: Tile | undefined, colour: string, w: number): void => {
      if (!t) return;
      ctx.strokeStyle = colour;
      ctx.lineWidth = w;
      ctx.strokeRect(t.rect.x + w / 2, t.rect.y + w / 2, t.rect.w - w, t.rect.h - w);
    };
    mark(this.hovered, themeVar('--vscode-foreground', '#cccccc'), 1);
    if (document.activeElement === this.canvas) mark(focus, themeVar('--vscode-focusBorder', '#007fd4'), 2);
  }

  private tileAt(e: MouseEvent): Tile | undefined {
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    // Nested tiles first: they sit on top of their parent.
    const nested = this.tiles.filter((t) => t.depth === 1);
    const i = rectAt(
      nested.map((t) => t.rect),
      x,
      y,
    );
    if (i >= 0) return nested[i];
    const top = this.tiles.filter((t) => t.depth === 0);
    const j = rectAt(
      top.map((t) => t.rect),
      x,
      y,
    );
    return j >= 0 ? top[j] : undefined;
  }

  private describe(t: Tile): string[] {
    const of = this.level?.retained ?? 0;
    const lines = [
      `Retained ${formatBytes(t.leaf.retained)} (${formatPercent(t.leaf.retained, of)} of this level)`,
    ];
    if (t.item >= 0) {
      const item = this.level?.items[t.item];
      lines.push(
        `Object #${t.leaf.object}`,
        `Dominates ${formatCount(item?.childCount ?? 0)} objects directly`,
      );
    } else if (t.item === -1) lines.push(`Object #${t.leaf.object}`, 'Click to open it');
    return lines;
  }

  private mapHover(e: PointerEvent): void {
    const t = this.tileAt(e);
    if (t !== this.hovered) {
      this.hovered = t;
      this.drawMap();
    }
    if (!t) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.replaceChildren(el('strong', undefined, t.leaf.className));
    for (const l of this.describe(t)) this.tooltip.append(el('div', undefined, l));
    placeTooltip(this.tooltip, this.mapWrap, e.clientX, e.clientY);
  }

  private mapKey(e: KeyboardEvent): void {
    const top = this.tiles.filter((t) => t.depth === 0);
    if (!top.length) return;
    let handled = true;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown')
      this.focusedTile = (this.focusedTile + 1) % top.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp')
      this.focusedTile = (this.focusedTile - 1 + top.length) % top.length;
    else if (e.key === 'Enter' || e.key === ' ') {
      const t = top[this.focusedTile];
      if (t) this.open(t);
    } else if (e.key === 'Escape' || e.key === 'Backspace') {
      const path = this.level?.path ?? [];
      if (path.length) this.goTo(path.length > 1 ? (path[path.length - 2] as TreemapLeaf).object : -1);
    } else handled = false;
    if (!handled) return;
    e.preventDefault();
    const t = top[this.focusedTile];
    if (t) this.mapStatus.textContent = `${t.leaf.className}: ${this.describe(t).join(', ')}`;
    this.drawMap();
  }

  private save(): void {
    this.host.saveState({ ...this.state });
  }
}
