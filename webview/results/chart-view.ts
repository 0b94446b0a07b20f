// Charts as plain DOM: a bar or gauge is a themed block whose width is its share, beside its label
// and its value in words. No canvas and no chart library: the data is tens of rows, the bars must be
// readable by screen readers (role="meter" with the figures), follow the theme's colours in light,
// dark and high contrast (borders in HC), and stay sharp at any zoom.
import { el } from './dom';
import type { BarChart, Chart, GaugeChart } from './chart-model';

function row(
  label: string,
  pct: number,
  text: string,
  level: string | undefined,
  meter: HTMLElement,
): HTMLElement {
  const r = el('div', `bar-row${level ? ` level-${level}` : ''}`);
  r.setAttribute('role', 'listitem');
  const name = el('span', 'bar-label', label);
  name.title = label;
  const track = el('span', 'bar-track');
  const fill = el('span', 'bar-fill');
  // CSSOM, not a style attribute: allowed under the page's CSP (no 'unsafe-inline').
  fill.style.width = `${Math.max(0, Math.min(100, pct)).toFixed(2)}%`;
  track.append(fill);
  meter.append(track);
  const value = el('span', 'bar-value', text);
  r.append(name, meter, value);
  return r;
}

function barsView(c: BarChart): HTMLElement {
  const list = el('div', 'bars');
  list.setAttribute('role', 'list');
  for (const b of c.bars) {
    const meter = el('span', 'bar-meter');
    meter.setAttribute('role', 'meter');
    meter.setAttribute('aria-label', b.label);
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuemax', String(c.max));
    meter.setAttribute('aria-valuenow', String(b.value));
    meter.setAttribute('aria-valuetext', `${b.text}${b.level ? ` (${b.level})` : ''}`);
    list.append(row(b.label, c.max > 0 ? (100 * b.value) / c.max : 0, b.text, b.level, meter));
  }
  return list;
}

function gaugesView(c: GaugeChart): HTMLElement {
  const list = el('div', 'bars gauges');
  list.setAttribute('role', 'list');
  for (const g of c.gauges) {
    const meter = el('span', 'bar-meter');
    meter.setAttribute('role', 'meter');
    meter.setAttribute('aria-label', g.label);
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuemax', '100');
    meter.setAttribute('aria-valuenow', g.pct.toFixed(1));
    meter.setAttribute('aria-valuetext', `${g.text}${g.level ? ` (${g.level})` : ''}`);
    list.append(row(g.label, g.pct, g.text, g.level, meter));
  }
  return list;
}

export function chartView(c: Chart): HTMLElement {
  const fig = el('figure', `chart chart-${c.type}`);
  const cap = el('figcaption', undefined, c.title);
  fig.append(cap, c.type === 'bars' ? barsView(c) : gaugesView(c));
  if (c.type === 'bars' && c.more > 0) fig.append(el('p', 'note', `and ${c.more} more (see the table)`));
  return fig;
}
