// The EXPLAIN plan tree: one row per node, indented, with a twisty, its exclusive-time bar and figures;
// the slowest nodes and the misestimates marked. A click (or Enter) on a node shows every field of
// it beside the tree. Keyboard as in any tree: Up/Down move, Right opens or goes to the first child,
// Left closes or goes to the parent, Home/End, Enter/Space show details.
import type { ExplainPlan } from '../../src/core/recognize/explain-plan';
import { el } from './dom';
import { findNode, nodeDetails, planFacts, planRows, type PlanRow } from './plan-model';

export function planView(plan: ExplainPlan): HTMLElement {
  const root = el('div', 'plan');
  const facts = el('dl', 'facts');
  for (const [k, v] of planFacts(plan)) facts.append(el('dt', undefined, k), el('dd', undefined, v));
  const layout = el('div', 'plan-layout');
  const tree = el('div', 'plan-tree');
  tree.setAttribute('role', 'tree');
  tree.setAttribute('aria-label', 'Plan nodes');
  const details = el('section', 'plan-details');
  details.setAttribute('aria-label', 'Node details');
  details.setAttribute('aria-live', 'polite');
  layout.append(tree, details);
  const legend = el(
    'p',
    'note',
    'Bars: time in the node alone, as a share of the whole plan. Marked: the slowest nodes, and row estimates off by 10x (warning) or 100x (critical).',
  );
  root.append(facts, legend, layout);

  const collapsed = new Set<number>();
  let rows: PlanRow[] = [];
  let focused = plan.root.id;
  let selected: number | undefined = plan.slowest[0] ?? plan.root.id;

  const showDetails = (id: number): void => {
    selected = id;
    const n = findNode(plan, id);
    if (!n) return;
    const h = el('h4', undefined, `#${n.id} ${n.title}`);
    const dl = el('dl', 'facts details');
    for (const [k, v] of nodeDetails(n)) dl.append(el('dt', undefined, k), el('dd', undefined, v));
    details.replaceChildren(h, dl);
  };

  const rowEl = (r: PlanRow): HTMLElement => {
    const item = el('div', 'plan-row');
    item.setAttribute('role', 'treeitem');
    item.setAttribute('aria-level', String(r.depth + 1));
    item.setAttribute('aria-selected', String(r.id === selected));
    if (r.hasChildren) item.setAttribute('aria-expanded', String(r.expanded));
    item.dataset['id'] = String(r.id);
    item.tabIndex = r.id === focused ? 0 : -1;
    if (r.heat !== 'none') item.classList.add(`heat-${r.heat}`);
    if (r.neverExecuted) item.classList.add('never');
    const indent = el('span', 'indent');
    indent.style.width = `${r.depth * 16}px`;
    const twisty = el('span', 'twisty', r.hasChildren ? (r.expanded ? '▾' : '▸') : '');
    twisty.setAttribute('aria-hidden', 'true');
    twisty.addEventListener('click', (e) => {
      e.stopPropagation();
      toggle(r.id);
    });
    const main = el('span', 'plan-main');
    const title = el('span', 'plan-title', r.title);
    if (r.role) main.append(el('span', 'plan-role', r.role));
    main.append(title);
    if (r.slowRank) main.append(el('span', 'badge status-critical', `slowest #${r.slowRank}`));
    if (r.misestimate) {
      const m = el('span', `badge status-${r.misestimate}`, r.estimateText);
      m.title = 'Actual rows per loop against the planner estimate';
      main.append(m);
    }
    if (r.neverExecuted) main.append(el('span', 'badge', 'never executed'));
    const bar = el('span', 'plan-bar');
    const fill = el('span', 'bar-fill');
    fill.style.width = `${Math.max(0, Math.min(100, r.exclusivePct ?? 0)).toFixed(2)}%`;
    bar.append(fill);
    const figures = el(
      'span',
      'plan-figures',
      [
        r.timeText,
        r.rowsText,
        r.loops !== null && r.loops !== 1 ? `${r.loops.toLocaleString('en-US')} loops` : '',
      ]
        .filter(Boolean)
        .join(' · '),
    );
    const extra = el(
      'span',
      'plan-extra',
      [r.buffersText && `buffers ${r.buffersText}`, r.removedText].filter(Boolean).join(' · '),
    );
    item.append(indent, twisty, main, bar, figures);
    if (extra.textContent) item.append(extra);
    item.addEventListener('click', () => {
      focused = r.id;
      showDetails(r.id);
      render(true);
    });
    return item;
  };

  const render = (keepFocus = false): void => {
    rows = planRows(plan, collapsed);
    tree.replaceChildren(...rows.map(rowEl));
    if (keepFocus) tree.querySelector<HTMLElement>(`[data-id="${focused}"]`)?.focus();
  };

  const toggle = (id: number): void => {
    if (collapsed.has(id)) collapsed.delete(id);
    else collapsed.add(id);
    focused = id;
    render(true);
  };

  const parentOf = (i: number): PlanRow | undefined => {
    const depth = rows[i]?.depth ?? 0;
    for (let j = i - 1; j >= 0; j--) if ((rows[j]?.depth ?? 0) < depth) return rows[j];
    return undefined;
  };

  tree.addEventListener('keydown', (e) => {
    const i = rows.findIndex((r) => r.id === focused);
    const r = rows[i];
    if (!r) return;
    let next: PlanRow | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = rows[i + 1];
        break;
      case 'ArrowUp':
        next = rows[i - 1];
        break;
      case 'Home':
        next = rows[0];
        break;
      case 'End':
        next = rows[rows.length - 1];
        break;
      case 'ArrowRight':
        if (r.hasChildren && !r.expanded) return void (e.preventDefault(), toggle(r.id));
        if (r.hasChildren) next = rows[i + 1];
        break;
      case 'ArrowLeft':
        if (r.hasChildren && r.expanded) return void (e.preventDefault(), toggle(r.id));
        next = parentOf(i);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        showDetails(r.id);
        render(true);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (!next) return;
    focused = next.id;
    render(true);
  });

  render();
  if (selected !== undefined) showDetails(selected);
  return root;
}
