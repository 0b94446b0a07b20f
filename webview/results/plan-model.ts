// The EXPLAIN plan view's model: the plan tree as visible rows (collapsed sub-trees hidden), each with
// its exclusive time as a share of the whole (the bar), its heat, its row estimate against the actual
// rows, loops, buffers and filtered rows; the slowest nodes and the misestimates are marked as
// explain.depesz.com and PEV2 mark them. Pure: the page draws it, tests read it.
import type { ExplainPlan, PlanNode } from '../../src/core/recognize/explain-plan';
import { formatValue } from '../../src/core/recognize/units';

export type Heat = 'none' | 'warm' | 'hot';
export type Level = 'warning' | 'critical';

export interface PlanRow {
  readonly id: number;
  readonly depth: number;
  readonly title: string;
  /** "InitPlan 1", "CTE x", "SubPlan 2": how the node hangs under its parent, when it is special. */
  readonly role: string | null;
  readonly hasChildren: boolean;
  readonly expanded: boolean;
  readonly exclusivePct: number | null;
  /** "12.3 ms · 45.1%" or "" without ANALYZE timing. */
  readonly timeText: string;
  /** "1,000 rows (planned 10)". */
  readonly rowsText: string;
  readonly loops: number | null;
  /** "×100 under" / "×12 over" when the estimate is off by 10x or more. */
  readonly estimateText: string;
  readonly misestimate?: Level;
  /** ≥ 10% of the time in this node alone: warm; ≥ 50%: hot. */
  readonly heat: Heat;
  /** 1 for the slowest node by exclusive time, 2, 3; undefined past the third. */
  readonly slowRank?: number;
  readonly buffersText: string;
  readonly removedText: string;
  readonly neverExecuted: boolean;
}

/** A row estimate off by this factor or more is marked (depesz marks 10x, 100x, 1000x). */
export const MISESTIMATE_WARNING = 10;
export const MISESTIMATE_CRITICAL = 100;

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => `${formatValue(n, 'count')} ms`;

/** "×167", "×38,114", "×1.5". */
export function factorText(f: number): string {
  return `×${(f >= 10 ? Math.round(f) : Math.round(f * 10) / 10).toLocaleString('en-US')}`;
}

export function heatOf(pct: number | null): Heat {
  if (pct === null) return 'none';
  return pct >= 50 ? 'hot' : pct >= 10 ? 'warm' : 'none';
}

export function misestimateOf(factor: number | null): Level | undefined {
  if (factor === null || !Number.isFinite(factor)) return undefined;
  return factor >= MISESTIMATE_CRITICAL ? 'critical' : factor >= MISESTIMATE_WARNING ? 'warning' : undefined;
}

export function buffersText(n: PlanNode): string {
  const b = n.buffers;
  if (!b) return '';
  const parts: string[] = [];
  if (b.sharedHit) parts.push(`hit ${count(b.sharedHit)}`);
  if (b.sharedRead) parts.push(`read ${count(b.sharedRead)}`);
  if (b.sharedDirtied) parts.push(`dirtied ${count(b.sharedDirtied)}`);
  if (b.sharedWritten) parts.push(`written ${count(b.sharedWritten)}`);
  if (b.localHit || b.localRead) parts.push(`local ${count(b.localHit)}/${count(b.localRead)}`);
  if (b.tempRead || b.tempWritten)
    parts.push(`temp read ${count(b.tempRead)} written ${count(b.tempWritten)}`);
  return parts.join(' · ');
}

function removedText(n: PlanNode): string {
  const parts: string[] = [];
  if (n.rowsRemovedByFilter) parts.push(`${count(n.rowsRemovedByFilter)} removed by filter`);
  if (n.rowsRemovedByJoinFilter) parts.push(`${count(n.rowsRemovedByJoinFilter)} removed by join filter`);
  if (n.rowsRemovedByIndexRecheck) parts.push(`${count(n.rowsRemovedByIndexRecheck)} removed by recheck`);
  return parts.join(' · ');
}

function roleOf(n: PlanNode): string | null {
  if (n.subplanName) return n.subplanName;
  const r = n.parentRelationship;
  return r && r !== 'Outer' && r !== 'Inner' && r !== 'Member' ? r : null;
}

function rowOf(n: PlanNode, depth: number, expanded: boolean, slowest: readonly number[]): PlanRow {
  const rank = slowest.indexOf(n.id);
  const loops = n.loops;
  const rowsText =
    n.actualRows !== null
      ? `${count(n.actualRows)} row${n.actualRows === 1 ? '' : 's'}${n.planRows !== null ? ` (planned ${count(n.planRows)})` : ''}`
      : n.planRows !== null
        ? `planned ${count(n.planRows)} rows`
        : '';
  const mis = misestimateOf(n.estimateFactor);
  return {
    id: n.id,
    depth,
    title: n.title,
    role: roleOf(n),
    hasChildren: n.children.length > 0,
    expanded,
    exclusivePct: n.exclusivePct,
    timeText:
      n.exclusiveMs !== null
        ? `${ms(n.exclusiveMs)}${n.exclusivePct !== null ? ` · ${formatValue(n.exclusivePct, 'percent')}` : ''}`
        : '',
    rowsText,
    loops,
    estimateText:
      mis && n.estimateFactor !== null
        ? `${factorText(n.estimateFactor)} ${n.estimateDirection ?? ''}`.trim()
        : '',
    ...(mis ? { misestimate: mis } : {}),
    heat: heatOf(n.exclusivePct),
    ...(rank >= 0 && rank < 3 ? { slowRank: rank + 1 } : {}),
    buffersText: buffersText(n),
    removedText: removedText(n),
    neverExecuted: n.neverExecuted,
  };
}

/** The rows a person sees: preorder, children of collapsed nodes left out. */
export function planRows(plan: ExplainPlan, collapsed: ReadonlySet<number>): PlanRow[] {
  const out: PlanRow[] = [];
  const slowest = plan.analyzed ? plan.slowest : [];
  // Iterative: deep plans (hundreds of nested joins) must not exhaust the stack.
  const stack: [PlanNode, number][] = [[plan.root, 0]];
  while (stack.length) {
    const [n, depth] = stack.pop()!;
    const open = !collapsed.has(n.id);
    out.push(rowOf(n, depth, open, slowest));
    if (open) for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i]!, depth + 1]);
  }
  return out;
}

export function findNode(plan: ExplainPlan, id: number): PlanNode | undefined {
  const stack = [plan.root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.id === id) return n;
    stack.push(...n.children);
  }
  return undefined;
}

/** Every field of a node, as PostgreSQL named it, for the details pane ("Plans" left out). */
export function nodeDetails(n: PlanNode): [string, string][] {
  const out: [string, string][] = [];
  const inclusive = n.inclusiveMs !== null ? ms(n.inclusiveMs) : null;
  if (inclusive) out.push(['Time with children (all loops)', inclusive]);
  if (n.exclusiveMs !== null) out.push(['Time in this node (all loops)', ms(n.exclusiveMs)]);
  if (n.estimateFactor !== null)
    out.push([
      'Row estimate',
      n.estimateDirection === 'exact'
        ? 'exact'
        : `off by ${factorText(n.estimateFactor)} (${n.estimateDirection === 'under' ? 'more rows than planned' : 'fewer rows than planned'})`,
    ]);
  for (const [k, v] of Object.entries(n.details)) {
    if (k === 'Plans' || v === null || v === undefined) continue;
    out.push([
      k,
      Array.isArray(v) ? v.map(String).join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v),
    ]);
  }
  return out;
}

/** The plan's headline figures. */
export function planFacts(plan: ExplainPlan): [string, string][] {
  const out: [string, string][] = [];
  if (plan.executionMs !== null) out.push(['Execution time', ms(plan.executionMs)]);
  if (plan.planningMs !== null) out.push(['Planning time', ms(plan.planningMs)]);
  out.push(['Nodes', String(plan.nodeCount)]);
  out.push(['Format', `${plan.format.toUpperCase()}${plan.analyzed ? ', ANALYZE' : ' (estimates only)'}`]);
  const slow = plan.slowest[0] !== undefined ? findNode(plan, plan.slowest[0]) : undefined;
  if (plan.analyzed && slow && slow.exclusivePct !== null)
    out.push(['Slowest node', `#${slow.id} ${slow.title} (${formatValue(slow.exclusivePct, 'percent')})`]);
  const w = plan.worstEstimate;
  if (w && w.factor >= MISESTIMATE_WARNING) {
    const node = findNode(plan, w.nodeId);
    out.push(['Worst estimate', `#${w.nodeId} ${node?.title ?? ''}: ${factorText(w.factor)} ${w.direction}`]);
  }
  return out;
}
