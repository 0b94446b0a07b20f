// Takes EXPLAIN output out of whatever it was pasted from: psql's aligned / unaligned / unicode
// frames ("QUERY PLAN" header, rules, `│ … │` borders, `+` continuation marks, "(N rows)"), DBeaver's
// trailing `|`, and pgAdmin-style quoting of each line (`"…"` or `'…'`).

const RULE = /^[\s\-─═+┼├┤┌┐└┘┬┴╞╡╪═|│]*$/;
const ROWS_FOOTER = /^\s*\(\d+ (rows?|lignes?|ligne|Zeilen|filas|righe)\)\s*$/;
const TOP_LEVEL =
  /^ (Planning Time|Planning time|Execution Time|Execution time|Total runtime|Planning:|JIT:|Settings:|Trigger |Query Identifier|Serialization|Memory:)/;
const BORDER_LEFT = /^\s*[│|║]/;
const BORDER_RIGHT = /[│|║]\s*$/;

/** Lines of the plan text without psql decoration; the first line is the plan's first line. */
export function unframe(text: string, options: { json?: boolean } = {}): string[] {
  let lines = text.replace(/\r\n?/g, '\n').split('\n');
  const nonEmpty = (): string[] => lines.filter((l) => l.trim() !== '');
  const share = (re: RegExp): number => {
    const ne = nonEmpty();
    return ne.length ? ne.filter((l) => re.test(l)).length / ne.length : 0;
  };
  // Borders on both sides (psql linestyle unicode/ascii with border 2).
  if (share(BORDER_LEFT) > 0.6)
    lines = lines.map((l) => l.replace(BORDER_LEFT, '').replace(BORDER_RIGHT, ''));
  // A trailing border only (DBeaver copies) or psql's "+" wrap marks.
  else if (share(/\S\s*\|\s*$/) > 0.6) lines = lines.map((l) => l.replace(/\s*\|\s*$/, ''));
  // psql marks a newline inside a cell with `+` (ascii) or `↵` (unicode), right after the text when
  // the line is the widest. JSON lines never end in `+`; a text plan line may, so there a space
  // before it is required.
  const mark = options.json ? /\s*(?:\+|↵)$/ : /\s*(?:\s\+|↵)$/;
  lines = lines.map((l) => l.replace(mark, ''));
  if (!options.json) lines = unwrap(lines);
  lines = lines.map((l) => l.replace(/\s+$/, ''));
  lines = lines.filter((l) => !ROWS_FOOTER.test(l) && !(l.trim() !== '' && RULE.test(l)));
  lines = lines.filter((l) => !/^\s*QUERY PLAN\s*$/.test(l));
  // Quoted lines (pgAdmin / CSV exports): strip one quote at each end when most lines have it.
  for (const q of options.json ? [] : ['"', "'"]) {
    const starts = share(new RegExp(`^\\s*${q}`));
    const ends = share(new RegExp(`${q}\\s*$`));
    if (starts > 0.8 || ends > 0.8) {
      const lead = new RegExp(`^(\\s*)${q}`);
      const trail = new RegExp(`${q}\\s*$`);
      lines = lines.map((l) => {
        let s = l;
        if (starts > 0.8) s = s.replace(lead, '$1');
        if (ends > 0.8) s = s.replace(trail, '');
        return q === '"' ? s.replace(/""/g, '"') : s;
      });
    }
  }
  return lines;
}

/**
 * psql's aligned output starts every row with a space; a plan pasted from a terminal narrower than
 * its lines comes back with the wrapped remainders at column 0. After the header rule, such a line
 * is the tail of the line above (joined as is: the wrap fell anywhere, even inside a number).
 */
function unwrap(lines: string[]): string[] {
  const rule = lines.findIndex((l) => /^\s*[-─═]{10,}\s*$/.test(l));
  const body = lines.slice(rule + 1).filter((l) => l.trim() !== '' && !ROWS_FOOTER.test(l) && !RULE.test(l));
  if (!body.length || !/^ \S/.test(body[0] as string)) return lines;
  // Without the header rule, only output where (nearly) every line has psql's leading space.
  if (rule < 0 && body.filter((l) => l.startsWith(' ')).length < 0.9 * body.length) return lines;
  const out = lines.slice(0, rule + 1);
  let first = true;
  for (const l of lines.slice(rule + 1)) {
    const prev = out.length - 1;
    if (l.trim() === '' || ROWS_FOOTER.test(l) || RULE.test(l)) {
      out.push(l);
      continue;
    }
    // At plan column 0 only the root and the closing lines stand; anything else there is a tail,
    // whether the wrap fell before a space (" rows=1 loops=1)") or not ("1 rows=0 loops=1)").
    const fragment =
      !first &&
      prev > rule &&
      out[prev] !== '' &&
      (/^\S/.test(l) || (/^ \S/.test(l) && !TOP_LEVEL.test(l)) || /^\s+\((cost|actual|never)\b/.test(l));
    first = false;
    if (fragment) out[prev] += l;
    else out.push(l);
  }
  return out;
}
