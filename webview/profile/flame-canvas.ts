// The flame graph's canvas: draws lanes of boxes (one lane for the merged tree, one per track in
// time order) from the pure layout, and turns pointer input into hover, click, pan and zoom.
// What a box means (its colour, label, tooltip) is the FlameView's business, through `Lane`.
import { BoxBuffer, hitTest, panRange, zoomRange, type Boxes, type ViewRange } from './layout';
import type { BoxColour } from './colour';
import { fitCanvas, fitText, themeVar } from './dom';

export interface Lane {
  /** Drawn as a header row above the lane (tracks); none for the merged tree. */
  readonly title?: string;
  readonly rows: number;
  layout(range: ViewRange, widthPx: number, out: BoxBuffer): Boxes;
  label(item: number): string;
  colour(item: number): BoxColour;
  /** Drawn faded (search or table filter active and the box does not match). */
  dimmed(item: number): boolean;
}

export interface Hit {
  lane: number;
  item: number;
}

export interface CanvasCallbacks {
  hover(hit: Hit | undefined, clientX: number, clientY: number): void;
  click(hit: Hit | undefined, e: MouseEvent): void;
  /** The range changed by wheel or drag. */
  rangeChanged(range: ViewRange): void;
}

export const ROW = 18;
const HEADER = 20;
const LANE_GAP = 6;

export class FlameCanvas {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private lanes: Lane[] = [];
  private buffers: BoxBuffer[] = [];
  /** Top of each lane's first box row in content coordinates, and its header top. */
  private laneTop: number[] = [];
  private contentHeight = 0;
  range: ViewRange = { lo: 0, hi: 1 };
  scrollY = 0;
  flame = false;
  selected: Hit | undefined;
  hovered: Hit | undefined;
  private width = 1;
  private height = 1;
  private frameRequested = false;
  private charWidth = 7;
  private font = '12px sans-serif';
  private colours = { bg: '#1e1e1e', fg: '#cccccc', focus: '#007fd4', border: '', header: '#888888' };
  private drag: { x: number; y: number; range: ViewRange; scrollY: number; moved: boolean } | undefined;

  constructor(
    container: HTMLElement,
    private readonly cb: CanvasCallbacks,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'flame-canvas';
    this.canvas.tabIndex = 0;
    container.append(this.canvas);
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('this webview cannot draw on a canvas');
    this.ctx = ctx;
    this.readTheme();
    new ResizeObserver(() => this.requestDraw()).observe(this.canvas);
    this.canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.canvas.addEventListener('pointerleave', () => {
      if (this.drag) return;
      this.hovered = undefined;
      this.cb.hover(undefined, 0, 0);
      this.requestDraw();
    });
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
  }

  readTheme(): void {
    const family = themeVar('--vscode-editor-font-family', themeVar('--vscode-font-family', 'monospace'));
    this.font = `12px ${family}`;
    this.colours = {
      bg: themeVar('--vscode-editor-background', '#1e1e1e'),
      fg: themeVar('--vscode-editor-foreground', themeVar('--vscode-foreground', '#cccccc')),
      focus: themeVar('--vscode-focusBorder', '#007fd4'),
      border: themeVar('--vscode-contrastBorder', ''),
      header: themeVar('--vscode-descriptionForeground', '#888888'),
    };
    this.ctx.font = this.font;
    this.charWidth = this.ctx.measureText('abcdefghijklmnopqrstuvwxyz_ABCDEF.0123456789').width / 43 || 7;
  }

  setLanes(lanes: Lane[]): void {
    this.lanes = lanes;
    while (this.buffers.length < lanes.length) this.buffers.push(new BoxBuffer());
    this.scrollY = 0;
    this.requestDraw();
  }

  /** Boxes of a lane as last drawn. */
  boxes(lane: number): Boxes | undefined {
    return this.buffers[lane];
  }

  requestDraw(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw();
    });
  }

  /** Lays out and paints now; returns the number of boxes drawn. */
  draw(): number {
    const { width, height, ratio } = fitCanvas(this.canvas);
    this.width = width;
    this.height = height;
    const ctx = this.ctx;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = this.colours.bg;
    ctx.fillRect(0, 0, width, height);
    ctx.font = this.font;
    ctx.textBaseline = 'middle';
    // Content coordinates: lanes stacked top to bottom.
    let y = 0;
    this.laneTop = [];
    for (const lane of this.lanes) {
      if (lane.title !== undefined) y += HEADER;
      this.laneTop.push(y);
      y += lane.rows * ROW + LANE_GAP;
    }
    this.contentHeight = Math.max(0, y - LANE_GAP);
    this.scrollY = Math.max(0, Math.min(this.scrollY, Math.max(0, this.contentHeight - height)));
    const originY = this.originY();
    let drawn = 0;
    this.lanes.forEach((lane, li) => {
      const top = (this.laneTop[li] as number) + originY;
      const laneHeight = lane.rows * ROW;
      if (lane.title !== undefined && top - HEADER < height && top > 0) {
        ctx.fillStyle = this.colours.header;
        ctx.fillText(fitText(lane.title, width - 8, this.charWidth), 4, top - HEADER / 2);
      }
      const buf = this.buffers[li] as BoxBuffer;
      if (top > height || top + laneHeight < 0) {
        buf.reset();
        buf.index();
        return;
      }
      const boxes = lane.layout(this.range, width, buf);
      for (let i = 0; i < boxes.count; i++) {
        const row = boxes.row[i] as number;
        const by = this.rowY(top, lane.rows, row);
        if (by + ROW < 0 || by > height) continue;
        const item = boxes.item[i] as number;
        const x0 = Math.max(0, boxes.x[i] as number);
        const x1 = Math.min(width, (boxes.x[i] as number) + (boxes.w[i] as number));
        const w = x1 - x0;
        if (w <= 0) continue;
        const c = lane.colour(item);
        const faded = lane.dimmed(item);
        if (faded) ctx.globalAlpha = 0.3;
        ctx.fillStyle = c.fill;
        ctx.fillRect(x0, by, w > 2 ? w - 1 : w, ROW - 1);
        if (this.colours.border && w > 3) {
          ctx.strokeStyle = this.colours.border;
          ctx.lineWidth = 1;
          ctx.strokeRect(x0 + 0.5, by + 0.5, w - 2, ROW - 2);
        }
        if (w > 24) {
          const text = fitText(lane.label(item), w - 8, this.charWidth);
          if (text) {
            ctx.fillStyle = c.text;
            ctx.fillText(text, x0 + 4, by + ROW / 2);
          }
        }
        if (faded) ctx.globalAlpha = 1;
        drawn++;
      }
      this.outline(li, boxes, top, lane.rows, this.hovered, this.colours.fg, 1);
      this.outline(li, boxes, top, lane.rows, this.selected, this.colours.focus, 2);
    });
    return drawn;
  }

  private outline(
    li: number,
    boxes: Boxes,
    top: number,
    rows: number,
    hit: Hit | undefined,
    colour: string,
    lineWidth: number,
  ): void {
    if (!hit || hit.lane !== li) return;
    for (let i = 0; i < boxes.count; i++) {
      if (boxes.item[i] !== hit.item) continue;
      const x0 = Math.max(0, boxes.x[i] as number);
      const x1 = Math.min(this.width, (boxes.x[i] as number) + (boxes.w[i] as number));
      const by = this.rowY(top, rows, boxes.row[i] as number);
      this.ctx.strokeStyle = colour;
      this.ctx.lineWidth = lineWidth;
      this.ctx.strokeRect(
        x0 + lineWidth / 2,
        by + lineWidth / 2,
        Math.max(1, x1 - x0 - lineWidth),
        ROW - lineWidth,
      );
      return;
    }
  }

  /**
   * Where content y = 0 is on screen. Icicle: scrolled down by scrollY. Flame: the root edge is the
   * bottom, so a short graph sits on the bottom edge and scrollY reveals the deeper rows above.
   */
  private originY(): number {
    return this.flame ? this.height - this.contentHeight + this.scrollY : -this.scrollY;
  }

  private rowY(laneTop: number, rows: number, row: number): number {
    return this.flame ? laneTop + (rows - 1 - row) * ROW : laneTop + row * ROW;
  }

  /** The box at canvas-relative (x, y), from the last drawn layout. */
  hitAt(x: number, y: number): Hit | undefined {
    const originY = this.originY();
    for (let li = 0; li < this.lanes.length; li++) {
      const lane = this.lanes[li] as Lane;
      const top = (this.laneTop[li] as number) + originY;
      if (y < top || y >= top + lane.rows * ROW) continue;
      let row = Math.floor((y - top) / ROW);
      if (this.flame) row = lane.rows - 1 - row;
      const box = hitTest(this.buffers[li] as BoxBuffer, row, x);
      if (box >= 0) return { lane: li, item: (this.buffers[li] as BoxBuffer).item[box] as number };
      return undefined;
    }
    return undefined;
  }

  /** Scrolls vertically so that `row` of `lane` is in view. */
  revealRow(lane: number, row: number): void {
    const l = this.lanes[lane];
    if (!l) return;
    const screenY = this.rowY((this.laneTop[lane] ?? 0) + this.originY(), l.rows, row);
    // How far the content has to move down (negative: up) to bring the row into view.
    let down = 0;
    if (screenY < 0) down = -screenY + ROW;
    else if (screenY + ROW > this.height) down = this.height - screenY - 2 * ROW;
    if (!down) return;
    this.scrollY = Math.max(0, this.flame ? this.scrollY + down : this.scrollY - down);
    this.requestDraw();
  }

  private local(e: MouseEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    const p = this.local(e);
    this.drag = { x: p.x, y: p.y, range: this.range, scrollY: this.scrollY, moved: false };
    this.canvas.setPointerCapture(e.pointerId);
  }

  private onPointerMove(e: PointerEvent): void {
    const p = this.local(e);
    const d = this.drag;
    if (d) {
      const dx = p.x - d.x;
      const dy = p.y - d.y;
      if (!d.moved && Math.abs(dx) + Math.abs(dy) > 4) d.moved = true;
      if (d.moved) {
        const span = d.range.hi - d.range.lo;
        this.range = panRange(d.range, (-dx / this.width) * span);
        this.scrollY = Math.max(0, d.scrollY + (this.flame ? dy : -dy));
        this.cb.rangeChanged(this.range);
        this.cb.hover(undefined, 0, 0);
        this.requestDraw();
        return;
      }
    }
    const hit = this.hitAt(p.x, p.y);
    if (hit?.lane !== this.hovered?.lane || hit?.item !== this.hovered?.item) {
      this.hovered = hit;
      this.requestDraw();
    }
    this.cb.hover(hit, e.clientX, e.clientY);
  }

  private onPointerUp(e: PointerEvent): void {
    const d = this.drag;
    this.drag = undefined;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    if (!d || d.moved) return;
    const p = this.local(e);
    this.cb.click(this.hitAt(p.x, p.y), e);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const p = this.local(e);
    const scale = e.deltaMode === 1 ? ROW : e.deltaMode === 2 ? this.height : 1;
    const dx = e.deltaX * scale;
    const dy = e.deltaY * scale;
    if (e.ctrlKey || e.metaKey) {
      this.range = zoomRange(this.range, Math.exp(dy * 0.002), p.x / this.width);
      this.cb.rangeChanged(this.range);
    } else if (e.shiftKey || Math.abs(dx) > Math.abs(dy)) {
      const span = this.range.hi - this.range.lo;
      this.range = panRange(this.range, ((e.shiftKey ? dy || dx : dx) / this.width) * span);
      this.cb.rangeChanged(this.range);
    } else {
      this.scrollY = Math.max(0, this.scrollY + (this.flame ? -dy : dy));
    }
    this.requestDraw();
  }
}
