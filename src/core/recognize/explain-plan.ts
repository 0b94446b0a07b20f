// EXPLAIN output (TEXT or FORMAT JSON) as one plan tree with the figures people read plans for:
// per-node time × loops (inclusive), exclusive time, row-estimate factor with its direction,
// buffers, rows removed by filters; and the plan's slowest nodes and worst misestimate.
//
// Time accounting, as explain.depesz.com and PEV2 do it:
// - a node's inclusive time is Actual Total Time × Actual Loops; inside a parallel section (under
//   Gather / Gather Merge) it is divided by the processes taking part (workers launched + leader),
//   since each reports its own per-loop time;
// - exclusive = inclusive − the children's inclusive times;
// - a CTE or InitPlan runs when its result is first read, so its time already sits inside the node
//   that reads it (the CTE Scan; the node whose condition uses the InitPlan's $n): it is taken off
//   that node rather than off the node the sub-plan hangs under. The exclusive times then add up
//   to the root's time.
import { findInvocation } from './command';
import { unframe } from './explain-frame';
import { parseExplainText, type PgExplain, type PgNode } from './explain-text';
import { metricOf, type Recognizer } from './recognizer';
import type { RecognizerInput } from './types';

export interface Buffers {
  readonly sharedHit: number;
  readonly sharedRead: number;
  readonly sharedDirtied: number;
  readonly sharedWritten: number;
  readonly localHit: number;
  readonly localRead: number;
  readonly tempRead: number;
  readonly tempWritten: number;
}

export interface PlanNode {
  /** Preorder number, 1 for the root. */
  readonly id: number;
  /** Node type as people say it: "Seq Scan", "Hash Join", "HashAggregate", "Insert". */
  readonly nodeType: string;
  /** The node's line as PostgreSQL's text format prints it: "Index Scan using x on y z". */
  readonly title: string;
  readonly relation: string | null;
  readonly alias: string | null;
  readonly index: string | null;
  readonly joinType: string | null;
  /** "InitPlan", "SubPlan", "Outer", ... and the sub-plan's name ("CTE x", "SubPlan 1"). */
  readonly parentRelationship: string | null;
  readonly subplanName: string | null;
  readonly startupCost: number | null;
  readonly totalCost: number | null;
  readonly planRows: number | null;
  readonly actualStartupMs: number | null;
  readonly actualTotalMs: number | null;
  readonly actualRows: number | null;
  readonly loops: number | null;
  readonly neverExecuted: boolean;
  /** Time in this node and below, all loops, in ms; null without ANALYZE timing. */
  readonly inclusiveMs: number | null;
  /** Time in this node alone, in ms. */
  readonly exclusiveMs: number | null;
  /** Share of the plan's total time spent in this node alone (0–100). */
  readonly exclusivePct: number | null;
  /** max(actual, planned) / min(actual, planned) rows per loop; 1 is a perfect estimate. */
  readonly estimateFactor: number | null;
  /** under: more rows than planned; over: fewer. */
  readonly estimateDirection: 'under' | 'over' | 'exact' | null;
  readonly rowsRemovedByFilter: number | null;
  readonly rowsRemovedByJoinFilter: number | null;
  readonly rowsRemovedByIndexRecheck: number | null;
  readonly buffers: Buffers | null;
  /** Every field of the node as PostgreSQL's JSON has it, children left out. */
  readonly details: Record<string, unknown>;
  readonly children: PlanNode[];
}

export interface ExplainPlan {
  readonly format: 'text' | 'json';
  readonly analyzed: boolean;
  readonly root: PlanNode;
  readonly nodeCount: number;
  readonly planningMs: number | null;
  /** Execution Time (or the old Total runtime); the root's time when neither was printed. */
  readonly executionMs: number | null;
  /** Node ids, slowest (by exclusive time) first; at most 10. */
  readonly slowest: number[];
  /** The worst misestimate among executed nodes. */
  readonly worstEstimate: { nodeId: number; factor: number; direction: 'under' | 'over' | 'exact' } | null;
  readonly settings: Record<string, string> | null;
  /** The whole document in PostgreSQL's JSON shape. */
  readonly document: PgExplain;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The node's text-format line, rebuilt from its fields (JSON input has no such line). */
function titleOf(n: PgNode, nodeType: string): string {
  const rel = str(n['Relation Name']);
  const alias = str(n['Alias']);
  const on = (target: string | null): string =>
    target ? ` on ${target}${alias && alias !== target ? ` ${alias}` : ''}` : alias ? ` ${alias}` : '';
  const parallel = n['Parallel Aware'] === true ? 'Parallel ' : '';
  const partial =
    str(n['Partial Mode']) && n['Partial Mode'] !== 'Simple' ? `${String(n['Partial Mode'])} ` : '';
  const join = str(n['Join Type']);
  if (/Join$|^Nested Loop$/.test(nodeType) && join && join !== 'Inner') {
    return nodeType === 'Nested Loop'
      ? `Nested Loop ${join} Join`
      : nodeType.replace(/ Join$/, ` ${join} Join`);
  }
  if (nodeType === 'Index Scan' || nodeType === 'Index Only Scan') {
    const dir = n['Scan Direction'] === 'Backward' ? ' Backward' : '';
    return `${parallel}${nodeType}${dir} using ${String(n['Index Name'] ?? '?')}${on(rel)}`;
  }
  if (nodeType === 'Bitmap Index Scan') return `Bitmap Index Scan on ${String(n['Index Name'] ?? '?')}`;
  if (nodeType === 'CTE Scan' || nodeType === 'WorkTable Scan') return `${nodeType}${on(str(n['CTE Name']))}`;
  if (nodeType === 'Function Scan') return `${nodeType}${on(str(n['Function Name']))}`;
  if (nodeType === 'Subquery Scan') return `${nodeType} on ${alias ?? '?'}`;
  return `${partial}${parallel}${nodeType}${on(rel)}`;
}

/** JSON's generic names → the names text output uses (ModifyTable → Insert, Aggregate → HashAggregate). */
function displayType(n: PgNode): string {
  const t = String(n['Node Type'] ?? '?');
  if (t === 'ModifyTable') return str(n['Operation']) ?? t;
  if (t === 'Aggregate') {
    const s = str(n['Strategy']);
    return s === 'Hashed'
      ? 'HashAggregate'
      : s === 'Sorted'
        ? 'GroupAggregate'
        : s === 'Mixed'
          ? 'MixedAggregate'
          : t;
  }
  if (t === 'SetOp' && n['Strategy'] === 'Hashed') return 'HashSetOp';
  return t;
}

function buffersOf(n: PgNode): Buffers | null {
  if (
    num(n['Shared Hit Blocks']) === null &&
    num(n['Shared Read Blocks']) === null &&
    num(n['Temp Read Blocks']) === null
  )
    return null;
  const b = (k: string): number => num(n[k]) ?? 0;
  return {
    sharedHit: b('Shared Hit Blocks'),
    sharedRead: b('Shared Read Blocks'),
    sharedDirtied: b('Shared Dirtied Blocks'),
    sharedWritten: b('Shared Written Blocks'),
    localHit: b('Local Hit Blocks'),
    localRead: b('Local Read Blocks'),
    tempRead: b('Temp Read Blocks'),
    tempWritten: b('Temp Written Blocks'),
  };
}

/** All string details of a node, where parameter references ($1, (InitPlan 1)) are looked for. */
const detailText = (n: PgNode): string =>
  Object.entries(n)
    .filter(([k]) => k !== 'Plans')
    .map(([, v]) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(' ') : ''))
    .join('\n');

interface Work {
  raw: PgNode;
  id: number;
  parent: Work | null;
  children: Work[];
  inclusive: number | null;
  exclusive: number | null;
  workers: number;
}

/** Builds the analysed tree from a document in PostgreSQL's JSON shape. */
export function analysePlan(doc: PgExplain, format: 'text' | 'json'): ExplainPlan {
  let nextId = 1;
  const all: Work[] = [];
  const build = (raw: PgNode, parent: Work | null, workers: number): Work => {
    const w: Work = { raw, id: nextId++, parent, children: [], inclusive: null, exclusive: null, workers };
    all.push(w);
    const t = String(raw['Node Type'] ?? '');
    // Below a Gather, per-process figures are shared by the workers and the leader.
    const launched = num(raw['Workers Launched']) ?? num(raw['Workers Planned']);
    const inner = t === 'Gather' || t === 'Gather Merge' ? (launched ?? 0) + 1 : workers;
    for (const c of raw.Plans ?? []) if (c && typeof c === 'object') w.children.push(build(c, w, inner));
    return w;
  };
  const root = build(doc.Plan, null, 1);

  for (const w of all) {
    const loops = num(w.raw['Actual Loops']);
    const total = num(w.raw['Actual Total Time']);
    if (loops === 0) w.inclusive = 0;
    else if (total !== null) w.inclusive = (total * (loops ?? 1)) / w.workers;
  }
  const timed = root.inclusive !== null;

  if (timed) {
    const inSubtree = (x: Work, top: Work): boolean => {
      for (let p: Work | null = x; p; p = p.parent) if (p === top) return true;
      return false;
    };
    // Sub-plans whose time is charged to the nodes that read them.
    const redirected = new Set<Work>();
    const charges: { amount: number; consumers: Work[]; fallback: Work }[] = [];
    for (const w of all) {
      const name = str(w.raw['Subplan Name']);
      if (w.raw['Parent Relationship'] !== 'InitPlan' || !name || !w.parent) continue;
      let consumers: Work[] = [];
      const cte = /^CTE (.+)$/.exec(name);
      if (cte) {
        consumers = all.filter(
          (x) => x.raw['Node Type'] === 'CTE Scan' && x.raw['CTE Name'] === cte[1] && !inSubtree(x, w),
        );
      } else {
        const refs: RegExp[] = [];
        const ret = /returns (.+)\)$/.exec(name)?.[1];
        for (const p of ret ? ret.split(/,\s*/) : []) refs.push(new RegExp(`\\${p.trim()}(?!\\d)`));
        const number = /^InitPlan (\d+)/.exec(name)?.[1];
        if (number) refs.push(new RegExp(`\\(InitPlan ${number}\\)`));
        if (refs.length) {
          // The deepest readers first: they evaluate the parameter.
          consumers = all
            .filter((x) => x !== w && !inSubtree(x, w) && refs.some((r) => r.test(detailText(x.raw))))
            .sort((a, b) => depth(b) - depth(a));
        }
      }
      if (!consumers.length) continue;
      redirected.add(w);
      charges.push({ amount: w.inclusive ?? 0, consumers, fallback: w.parent });
    }
    for (const w of all) {
      if (w.inclusive === null) continue;
      const kids = w.children.filter((c) => !redirected.has(c)).reduce((s, c) => s + (c.inclusive ?? 0), 0);
      w.exclusive = w.inclusive - kids;
    }
    for (const c of charges) {
      let left = c.amount;
      for (const x of c.consumers) {
        if (left <= 0) break;
        const take = Math.min(left, Math.max(0, x.exclusive ?? 0));
        x.exclusive = (x.exclusive ?? 0) - take;
        left -= take;
      }
      if (left > 0) c.fallback.exclusive = (c.fallback.exclusive ?? 0) - left;
    }
    // Rounding in the printed times can leave tiny negatives; a node never takes negative time.
    for (const w of all) if (w.exclusive !== null && w.exclusive < 0) w.exclusive = 0;
  }

  const executionMs = num(doc['Execution Time']) ?? num(doc['Total Runtime']) ?? root.inclusive;
  const basis = root.inclusive ?? executionMs;

  const toNode = (w: Work): PlanNode => {
    const n = w.raw;
    const nodeType = displayType(n);
    const actualRows = num(n['Actual Rows']);
    const planRows = num(n['Plan Rows']);
    const loops = num(n['Actual Loops']);
    let estimateFactor: number | null = null;
    let estimateDirection: PlanNode['estimateDirection'] = null;
    if (actualRows !== null && planRows !== null && loops !== 0) {
      const a = Math.max(actualRows, 1);
      const p = Math.max(planRows, 1);
      estimateFactor = Math.max(a, p) / Math.min(a, p);
      estimateDirection = a > p ? 'under' : a < p ? 'over' : 'exact';
    }
    const details: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n)) if (k !== 'Plans') details[k] = v;
    return {
      id: w.id,
      nodeType,
      title: titleOf(n, nodeType),
      relation: str(n['Relation Name']),
      alias: str(n['Alias']),
      index: str(n['Index Name']),
      joinType: str(n['Join Type']),
      parentRelationship: str(n['Parent Relationship']),
      subplanName: str(n['Subplan Name']),
      startupCost: num(n['Startup Cost']),
      totalCost: num(n['Total Cost']),
      planRows,
      actualStartupMs: num(n['Actual Startup Time']),
      actualTotalMs: num(n['Actual Total Time']),
      actualRows,
      loops,
      neverExecuted: loops === 0,
      inclusiveMs: w.inclusive,
      exclusiveMs: w.exclusive,
      exclusivePct: w.exclusive !== null && basis ? (w.exclusive / basis) * 100 : null,
      estimateFactor,
      estimateDirection,
      rowsRemovedByFilter: num(n['Rows Removed by Filter']),
      rowsRemovedByJoinFilter: num(n['Rows Removed by Join Filter']),
      rowsRemovedByIndexRecheck: num(n['Rows Removed by Index Recheck']),
      buffers: buffersOf(n),
      details,
      children: w.children.map(toNode),
    };
  };
  const tree = toNode(root);
  const flat = flatten(tree);
  const slowest = flat
    .filter((n) => n.exclusiveMs !== null)
    .sort((a, b) => (b.exclusiveMs ?? 0) - (a.exclusiveMs ?? 0))
    .slice(0, 10)
    .map((n) => n.id);
  let worst: ExplainPlan['worstEstimate'] = null;
  for (const n of flat) {
    if (n.estimateFactor !== null && n.estimateDirection && (!worst || n.estimateFactor > worst.factor))
      worst = { nodeId: n.id, factor: n.estimateFactor, direction: n.estimateDirection };
  }
  return {
    format,
    analyzed: flat.some((n) => n.actualRows !== null || n.neverExecuted),
    root: tree,
    nodeCount: flat.length,
    planningMs: num(doc['Planning Time']),
    executionMs,
    slowest,
    worstEstimate: worst,
    settings: (doc['Settings'] as Record<string, string> | undefined) ?? null,
    document: doc,
  };
}

function depth(w: Work): number {
  let d = 0;
  for (let p = w.parent; p; p = p.parent) d++;
  return d;
}

/** Every node in preorder. */
export function flatten(root: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const visit = (n: PlanNode): void => {
    out.push(n);
    n.children.forEach(visit);
  };
  visit(root);
  return out;
}

/** FORMAT JSON output (also framed by psql), or null. */
export function parseExplainJson(text: string): PgExplain | null {
  const t = text.trimStart();
  const body = /^[[{]/.test(t) ? t : unframe(text, { json: true }).join('\n');
  const from = body.search(/[[{]/);
  if (from < 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(body.slice(from));
  } catch {
    const to = Math.max(body.lastIndexOf(']'), body.lastIndexOf('}'));
    try {
      value = JSON.parse(body.slice(from, to + 1));
    } catch {
      return null;
    }
  }
  const first = Array.isArray(value) ? value[0] : value;
  if (!first || typeof first !== 'object' || !('Plan' in first)) return null;
  const plan = (first as { Plan: unknown }).Plan;
  if (!plan || typeof plan !== 'object' || !('Node Type' in plan)) return null;
  return first as PgExplain;
}

/** EXPLAIN output in either format; null when it is neither. */
export function parseExplain(input: RecognizerInput): ExplainPlan | null {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    // A query step returns EXPLAIN as rows of one "QUERY PLAN" column.
    if (input.columns.length !== 1 || !/QUERY PLAN/i.test(input.columns[0] ?? '')) return null;
    const cells = input.rows.map((r) => r[0]);
    if (cells.length === 1 && cells[0] !== null && typeof cells[0] === 'object') {
      const doc = Array.isArray(cells[0]) ? cells[0][0] : cells[0];
      if (doc && typeof doc === 'object' && 'Plan' in doc) return analysePlan(doc as PgExplain, 'json');
      return null;
    }
    text = cells.map((c) => String(c ?? '')).join('\n');
  }
  if (/"Node Type"\s*:/.test(text)) {
    const j = parseExplainJson(text);
    if (j) return analysePlan(j, 'json');
  }
  const doc = parseExplainText(text);
  return doc ? analysePlan(doc, 'text') : null;
}

const nodeLabel = (n: PlanNode): string => `node #${n.id} ${n.title}`;

export const explainRecognizer: Recognizer<'explain', ExplainPlan> = {
  kind: 'explain',
  title: 'EXPLAIN plan',
  matchesCommand: (c) => /\bEXPLAIN\b/i.test(c) || !!findInvocation(c, ['pg_explain']),
  parse: parseExplain,
  metrics: (p) => {
    const nodes = flatten(p.root);
    const worst = p.worstEstimate ? nodes.find((n) => n.id === p.worstEstimate?.nodeId) : undefined;
    const whole = [p];
    return [
      metricOf(
        'plan.execution_time',
        'seconds',
        'execution time',
        whole,
        () => 'plan',
        (x) => (x.executionMs !== null ? x.executionMs / 1000 : null),
      ),
      metricOf(
        'plan.planning_time',
        'seconds',
        'planning time',
        whole,
        () => 'plan',
        (x) => (x.planningMs !== null ? x.planningMs / 1000 : null),
      ),
      metricOf(
        'plan.max_estimate_factor',
        'ratio',
        `row estimate off (${p.worstEstimate?.direction ?? ''})`,
        whole,
        () => (worst ? nodeLabel(worst) : 'plan'),
        (x) => x.worstEstimate?.factor,
      ),
      metricOf('plan.nodes.exclusive_time', 'seconds', 'time', nodes, nodeLabel, (n) =>
        n.exclusiveMs !== null ? n.exclusiveMs / 1000 : null,
      ),
      metricOf(
        'plan.nodes.exclusive_pct',
        'percent',
        'share of the time',
        nodes,
        nodeLabel,
        (n) => n.exclusivePct,
      ),
      metricOf(
        'plan.nodes.estimate_factor',
        'ratio',
        'row estimate off',
        nodes,
        nodeLabel,
        (n) => n.estimateFactor,
      ),
      metricOf(
        'plan.nodes.rows_removed_by_filter',
        'count',
        'rows removed by filter',
        nodes,
        nodeLabel,
        (n) => n.rowsRemovedByFilter,
      ),
      metricOf(
        'plan.nodes.temp_written_blocks',
        'count',
        'temp blocks written',
        nodes,
        nodeLabel,
        (n) => n.buffers?.tempWritten,
      ),
      metricOf(
        'plan.nodes.shared_read_blocks',
        'count',
        'shared blocks read',
        nodes,
        nodeLabel,
        (n) => n.buffers?.sharedRead,
      ),
    ];
  },
  // A row estimate off by 100x (either way) misleads the planner; and the seed's latency limits
  // (P95 > 2 s warning, > 5 s critical) for a single query's execution time.
  defaults: [
    'plan.nodes.estimate_factor >= 100: warning',
    'plan.execution_time > 2s: warning, > 5s: critical',
  ],
};
