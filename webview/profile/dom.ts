// Small DOM helpers for the profile page. Text always goes in as textContent (names come from the
// profile file, which is data, never markup).

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function button(label: string, onClick: (e: MouseEvent) => void, title?: string): HTMLButtonElement {
  const b = el('button', undefined, label);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** A group of toggle buttons, one pressed at a time (aria-pressed), as a labelled group. */
export function segmented<T extends string>(
  label: string,
  options: readonly { value: T; label: string; title?: string }[],
  value: T,
  onChange: (v: T) => void,
): { root: HTMLElement; set(v: T): void } {
  const root = el('div', 'segmented');
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', label);
  const buttons = options.map((o) => {
    const b = button(
      o.label,
      () => {
        set(o.value);
        onChange(o.value);
      },
      o.title,
    );
    b.dataset['value'] = o.value;
    return b;
  });
  const set = (v: T): void => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset['value'] === v));
  };
  set(value);
  root.append(...buttons);
  return { root, set };
}

/** A CSS custom property of the theme (VS Code sets them on <html>), with a fallback. */
export function themeVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Sizes a canvas's backing store to its CSS box at the device pixel ratio; returns the CSS size. */
export function fitCanvas(canvas: HTMLCanvasElement): { width: number; height: number; ratio: number } {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.floor(canvas.clientWidth));
  const height = Math.max(1, Math.floor(canvas.clientHeight));
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  return { width, height, ratio };
}

/** Keeps a floating tooltip inside its container, near the pointer. */
export function placeTooltip(tip: HTMLElement, container: HTMLElement, x: number, y: number): void {
  tip.hidden = false;
  const c = container.getBoundingClientRect();
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  let left = x - c.left + 14;
  let top = y - c.top + 14;
  if (left + w > c.width) left = Math.max(0, x - c.left - w - 14);
  if (top + h > c.height) top = Math.max(0, y - c.top - h - 14);
  tip.style.left = `${left}px`;
  tip.style.top = `${top}px`;
}

/** Text cut to fit `maxWidth` px with an ellipsis, given the average character width. */
export function fitText(text: string, maxWidth: number, charWidth: number): string {
  const max = Math.floor(maxWidth / charWidth);
  if (max <= 1) return '';
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}
