// The arithmetic of the Output panel's split between the run list and the output: limits, arrow-key
// steps, the narrow layout, and reading a width back from the webview's saved state (which may hold
// anything an older page version wrote). Pure, so it is unit-tested without a browser.

export const SPLIT = {
  /** The run list's width when nothing was chosen. */
  initial: 260,
  /** Narrower than this, a run's title and time no longer fit. */
  min: 140,
  /** The output keeps at least this much beside the list. */
  minDetail: 240,
  /** Panels narrower than this stack the list above the output instead. */
  narrowBelow: 520,
  /** Arrow keys move the divider by this much; with Shift by `bigStep`. */
  step: 16,
  bigStep: 64,
} as const;

/** The most the list may take in a panel `panelWidth` wide (never below the minimum). */
export function maxListWidth(panelWidth: number): number {
  return Math.max(SPLIT.min, Math.floor(panelWidth - SPLIT.minDetail));
}

/** The width to draw: the chosen one (or the initial one), kept within what the panel allows. */
export function listWidthFor(chosen: number | undefined, panelWidth: number): number {
  const want = chosen ?? SPLIT.initial;
  return Math.round(Math.min(Math.max(want, SPLIT.min), maxListWidth(panelWidth)));
}

export function isNarrow(panelWidth: number): boolean {
  return panelWidth < SPLIT.narrowBelow;
}

/**
 * The width after a key on the divider (the window-splitter pattern: arrows move it, Home and End
 * go to the limits), or undefined for a key the divider does not handle.
 */
export function keyedWidth(
  key: string,
  shift: boolean,
  current: number,
  panelWidth: number,
): number | undefined {
  const step = shift ? SPLIT.bigStep : SPLIT.step;
  switch (key) {
    case 'ArrowLeft':
      return listWidthFor(current - step, panelWidth);
    case 'ArrowRight':
      return listWidthFor(current + step, panelWidth);
    case 'Home':
      return SPLIT.min;
    case 'End':
      return maxListWidth(panelWidth);
    default:
      return undefined;
  }
}

/** What the page keeps in vscode.setState. */
export interface OutputPageState {
  listWidth?: number;
}

/** The saved list width, when the saved state holds a usable one. */
export function savedListWidth(state: unknown): number | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const w = (state as { listWidth?: unknown }).listWidth;
  return typeof w === 'number' && Number.isFinite(w) && w >= SPLIT.min && w <= 10_000
    ? Math.round(w)
    : undefined;
}
