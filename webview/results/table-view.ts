// A sortable table: each heading is a button (click, Enter or Space) cycling descending, ascending;
// aria-sort says the order to screen readers. Long tables show their first rows, sorted over all.
import { el } from './dom';
import { sortOrder, type Table } from './table-model';

/** Rows drawn at once; sorting still covers every row. */
export const MAX_ROWS = 500;

export function tableView(table: Table): HTMLElement {
  const wrap = el('div', 'table-wrap');
  const caption = el('caption', undefined, table.title);
  const t = el('table', 'data-table');
  t.append(caption);
  const head = el('thead');
  const headRow = el('tr');
  head.append(headRow);
  const body = el('tbody');
  t.append(head, body);
  const note = el('p', 'note');
  let sortCol = -1;
  let dir: 'asc' | 'desc' = 'desc';

  const numeric = table.columns.map((c) => c.unit !== 'text');
  const ths = table.columns.map((c, i) => {
    const th = el('th');
    th.scope = 'col';
    if (numeric[i]) th.classList.add('num');
    const b = el('button', 'sort', c.label);
    b.type = 'button';
    b.title = `Sort by ${c.label}`;
    b.addEventListener('click', () => {
      if (sortCol === i) dir = dir === 'desc' ? 'asc' : 'desc';
      else {
        sortCol = i;
        dir = numeric[i] ? 'desc' : 'asc';
      }
      render();
    });
    th.append(b);
    headRow.append(th);
    return th;
  });

  const render = (): void => {
    ths.forEach((th, i) => {
      if (i === sortCol) th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    const order = sortCol >= 0 ? sortOrder(table.rows, sortCol, dir) : table.rows.map((_, i) => i);
    const frag = document.createDocumentFragment();
    for (const r of order.slice(0, MAX_ROWS)) {
      const tr = el('tr');
      table.rows[r]!.forEach((cell, i) => {
        const td = el('td', numeric[i] ? 'num' : undefined, cell.text);
        tr.append(td);
      });
      frag.append(tr);
    }
    body.replaceChildren(frag);
    note.textContent =
      table.rows.length > MAX_ROWS
        ? `Showing ${MAX_ROWS} of ${table.rows.length} rows (sorting covers all).`
        : '';
  };
  render();
  wrap.append(t, note);
  return wrap;
}
