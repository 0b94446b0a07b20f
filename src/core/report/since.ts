// `--since` for reports: an ISO date/time ("2024-05-01", "2024-05-01T14:00", "...Z", "+02:00") or a
// span back from now ("30m", "2h", "1d", "1w", "90s", "1h30m"). Dates without a time mean local
// midnight, the way a person on call reads "since today".
export type SinceResult = { ok: true; date: Date } | { ok: false; error: string };

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const SPAN = /^(?:\d+(?:\.\d+)?[smhdw])+$/;
const PART = /(\d+(?:\.\d+)?)([smhdw])/g;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

const HINT = 'use an ISO date/time such as 2024-05-01 or 2024-05-01T14:00Z, or a span such as 30m, 2h, 1d';

export function parseSince(text: string, now: Date): SinceResult {
  const t = text.trim();
  if (!t) return { ok: false, error: `empty time; ${HINT}` };
  if (SPAN.test(t.toLowerCase())) {
    let ms = 0;
    for (const m of t.toLowerCase().matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    return { ok: true, date: new Date(now.getTime() - ms) };
  }
  const d = DATE_ONLY.exec(t);
  if (d) {
    const [y, mo, day] = [Number(d[1]), Number(d[2]) - 1, Number(d[3])];
    const date = new Date(y, mo, day);
    // Date rolls 2024-02-31 over to March; a person meant an invalid date, so say so.
    if (date.getFullYear() !== y || date.getMonth() !== mo || date.getDate() !== day)
      return { ok: false, error: `"${t}" is not a calendar date; ${HINT}` };
    return { ok: true, date };
  }
  if (ISO.test(t)) {
    const date = new Date(t.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(date.getTime())) return { ok: true, date };
  }
  return { ok: false, error: `cannot read "${t}" as a time; ${HINT}` };
}
