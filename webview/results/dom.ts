// Small DOM helpers for the results page. Text goes in as textContent only: everything shown comes
// from command output, which is data, never markup.

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

export function button(
  label: string,
  onClick: (e: MouseEvent) => void,
  cls?: string,
  title?: string,
): HTMLButtonElement {
  const b = el('button', cls, label);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** A level or status word as a badge; colour comes from the theme (media/results.css). */
export function badge(word: string): HTMLElement {
  const b = el('span', `badge status-${word}`, word);
  return b;
}
