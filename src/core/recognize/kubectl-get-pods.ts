// `kubectl get pods` (also -A, -o wide).
//
// Layout, from kubectl's pod table printer (k8s.io/kubernetes/pkg/printers/internalversion,
// printPod) through cli-runtime's tabwriter (min width 6, padding 3): tab between cells, none after
// the last. Columns: [NAMESPACE] NAME READY STATUS RESTARTS AGE, and with -o wide IP NODE
// "NOMINATED NODE" "READINESS GATES". READY is `ready/total`; STATUS is one word (the phase or a
// container's waiting/terminated reason: CrashLoopBackOff, OOMKilled, Error, Init:0/1, ...);
// RESTARTS is `N` or, after a restart, `N (<age> ago)` (fmt.Sprintf("%d (%s ago)", ...)).
import { findInvocation } from './command';
import { metricOf, type Recognizer } from './recognizer';
import { findHeader, outputLines, parseAlignedTable } from './table';
import type { RecognizerInput } from './types';
import { parseDuration } from './units';

export interface PodRow {
  readonly namespace: string | null;
  readonly name: string;
  readonly ready: number | null;
  readonly total: number | null;
  readonly status: string;
  readonly restarts: number | null;
  /** Seconds since the last restart, from `N (5m ago)`; null when not printed. */
  readonly lastRestartAgoSeconds: number | null;
  readonly age: string;
  readonly node: string | null;
}

export interface KubectlGetPods {
  readonly rows: PodRow[];
}

/** Statuses that mean the pod is failing now. */
export const FAILING_STATUSES = [
  'CrashLoopBackOff',
  'OOMKilled',
  'Error',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'InvalidImageName',
  'Evicted',
  'ContainerStatusUnknown',
];

/** kubectl's HumanDuration: `3d4h`, `2m13s`, `45s`, `14d`, `2y30d`. */
export function parseKubeAge(text: string): number | null {
  const parts = text.match(/\d+[smhdy]/g);
  if (!parts || parts.join('') !== text) return null;
  let s = 0;
  for (const p of parts) {
    const n = Number(p.slice(0, -1));
    const u = p.slice(-1);
    s += n * (u === 'y' ? 365 * 86400 : (parseDuration(`1${u}`) ?? 0));
  }
  return s;
}

export function parseRestarts(cell: string): { restarts: number | null; ago: number | null } {
  const m = /^(\d+)(?:\s+\((\S+) ago\))?$/.exec(cell.trim());
  if (!m) return { restarts: null, ago: null };
  return { restarts: Number(m[1]), ago: m[2] ? parseKubeAge(m[2]) : null };
}

export function parseGetPods(input: RecognizerInput): KubectlGetPods | null {
  if (typeof input !== 'string') return null;
  const lines = outputLines(input);
  const h = findHeader(
    lines,
    (n) => n.includes('NAME') && n.includes('READY') && n.includes('STATUS') && n.includes('RESTARTS'),
  );
  if (h < 0) return null;
  const table = parseAlignedTable(lines[h] as string, lines.slice(h + 1));
  const rows: PodRow[] = [];
  for (const r of table.rows) {
    const ready = /^(\d+)\/(\d+)$/.exec(r['READY'] ?? '');
    const { restarts, ago } = parseRestarts(r['RESTARTS'] ?? '');
    if (!ready && restarts === null) continue; // not a pod row (a warning line, a wrapped cell)
    rows.push({
      namespace: r['NAMESPACE'] ?? null,
      name: r['NAME'] ?? '',
      ready: ready ? Number(ready[1]) : null,
      total: ready ? Number(ready[2]) : null,
      status: r['STATUS'] ?? '',
      restarts,
      lastRestartAgoSeconds: ago,
      age: r['AGE'] ?? '',
      node: r['NODE'] !== undefined && r['NODE'] !== '<none>' ? r['NODE'] : null,
    });
  }
  return rows.length ? { rows } : null;
}

const label = (r: PodRow): string => `pod ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
const finished = (r: PodRow): boolean => r.status === 'Completed' || r.status === 'Succeeded';

export const kubectlGetPods: Recognizer<'kubectl-get-pods', KubectlGetPods> = {
  kind: 'kubectl-get-pods',
  title: 'kubectl get pods',
  matchesCommand: (c) => {
    const inv = findInvocation(c, ['kubectl', 'oc', 'k']);
    if (!inv) return false;
    const i = inv.indexOf('get');
    const what = i >= 0 ? inv.slice(i + 1).find((w) => !w.startsWith('-')) : undefined;
    return what !== undefined && /^(pods?|po)(\/|$)/.test(what);
  },
  parse: parseGetPods,
  metrics: (d) => [
    metricOf('pods.restarts', 'count', 'restarts', d.rows, label, (r) => r.restarts),
    metricOf('pods.status', 'text', 'status', d.rows, label, (r) => r.status),
    metricOf(
      'pods.not_ready',
      'count',
      'containers not ready',
      d.rows.filter((r) => !finished(r)),
      label,
      (r) => (r.ready !== null && r.total !== null ? r.total - r.ready : null),
    ),
    metricOf(
      'pods.last_restart_ago',
      'seconds',
      'last restart',
      d.rows,
      label,
      (r) => r.lastRestartAgoSeconds,
    ),
  ],
  defaults: ['pods.restarts > 0: warning', `pods.status in (${FAILING_STATUSES.join(', ')}): critical`],
};
