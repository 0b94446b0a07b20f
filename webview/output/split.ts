// The divider between the Output panel's run list and its output: dragged with the pointer, moved
// with the arrow keys (Home/End: the limits), the width kept in the webview's state so it survives
// the page being reloaded when the panel is hidden. Panels too narrow for two columns stack the list
// above the output and hide the divider.
// Styles are set through the CSSOM (element.style), which the page's CSP (no inline style) allows.
import { SPLIT, isNarrow, keyedWidth, listWidthFor, maxListWidth } from './split-width';

export interface SplitOptions {
  app: HTMLElement;
  list: HTMLElement;
  detail: HTMLElement;
  /** The width chosen earlier (from the webview state), if any. */
  saved: number | undefined;
  /** Called with the width a person chose, to keep it. */
  save(width: number): void;
}

export function installSplit({ app, list, detail, saved, save }: SplitOptions): HTMLElement {
  let chosen = saved;
  const divider = document.createElement('div');
  divider.className = 'splitter';
  divider.tabIndex = 0;
  divider.setAttribute('role', 'separator');
  divider.setAttribute('aria-orientation', 'vertical');
  divider.setAttribute('aria-label', 'Resize the run list');
  if (!list.id) list.id = 'runs';
  divider.setAttribute('aria-controls', list.id);
  divider.title = 'Drag, or use the arrow keys, to resize the run list';
  Object.assign(divider.style, {
    flex: '0 0 4px',
    cursor: 'col-resize',
    touchAction: 'none',
    background: 'transparent',
  });
  list.after(divider);
  // The stylesheet's border would sit beside the divider: the divider draws the line instead.
  list.style.borderRight = 'none';
  divider.style.borderLeft =
    '1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent))';
  let highlighted = false;
  let dragging = false;
  /** Where on the divider it was grabbed, so the list's edge follows the pointer without a jump. */
  let grab = 0;
  const paint = (): void => {
    divider.style.background =
      highlighted || dragging || document.activeElement === divider
        ? 'var(--vscode-sash-hoverBorder, var(--vscode-focusBorder))'
        : 'transparent';
  };

  const panelWidth = (): number => app.clientWidth || window.innerWidth;
  const layout = (): void => {
    const width = panelWidth();
    if (isNarrow(width)) {
      Object.assign(app.style, { flexDirection: 'column' });
      Object.assign(list.style, {
        width: 'auto',
        minWidth: '0',
        maxHeight: '35vh',
        flex: '0 0 auto',
        borderBottom: '1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent))',
      });
      divider.hidden = true;
      detail.style.minHeight = '0';
      return;
    }
    const w = listWidthFor(chosen, width);
    Object.assign(app.style, { flexDirection: 'row' });
    Object.assign(list.style, {
      width: `${w}px`,
      minWidth: '0',
      maxHeight: '',
      flex: '0 0 auto',
      borderBottom: 'none',
    });
    divider.hidden = false;
    divider.setAttribute('aria-valuemin', String(SPLIT.min));
    divider.setAttribute('aria-valuemax', String(maxListWidth(width)));
    divider.setAttribute('aria-valuenow', String(w));
  };
  const choose = (width: number): void => {
    chosen = listWidthFor(width, panelWidth());
    layout();
    save(chosen);
  };

  divider.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    divider.setPointerCapture(e.pointerId);
    grab = e.clientX - list.getBoundingClientRect().right;
    dragging = true;
    paint();
  });
  divider.addEventListener('pointermove', (e) => {
    if (!dragging) return;
    chosen = listWidthFor(e.clientX - grab - list.getBoundingClientRect().left, panelWidth());
    layout();
  });
  const endDrag = (e: PointerEvent): void => {
    if (!dragging) return;
    dragging = false;
    if (divider.hasPointerCapture(e.pointerId)) divider.releasePointerCapture(e.pointerId);
    paint();
    if (chosen !== undefined) save(chosen);
  };
  divider.addEventListener('pointerup', endDrag);
  divider.addEventListener('pointercancel', endDrag);
  divider.addEventListener('keydown', (e) => {
    const current = list.getBoundingClientRect().width;
    const next = keyedWidth(e.key, e.shiftKey, current, panelWidth());
    if (next === undefined) return;
    e.preventDefault();
    choose(next);
  });
  divider.addEventListener('dblclick', () => choose(SPLIT.initial));
  divider.addEventListener('pointerenter', () => {
    highlighted = true;
    paint();
  });
  divider.addEventListener('pointerleave', () => {
    highlighted = false;
    paint();
  });
  divider.addEventListener('focus', paint);
  divider.addEventListener('blur', paint);

  new ResizeObserver(layout).observe(app);
  layout();
  return divider;
}
