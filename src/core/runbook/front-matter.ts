// Front matter: a `---` (YAML) or `+++` (TOML) block on the very first line. Only flat `key: value`
// (or `key = value`) pairs are read; nested or list values are kept as their text. The block is
// blanked out (newlines kept) so Markdown line numbers stay those of the file.

export interface FrontMatter {
  readonly data: Record<string, string>;
  /** The text with the front matter replaced by empty lines. */
  readonly body: string;
  /** Number of lines the front matter spans (0 when there is none). */
  readonly lines: number;
}

const MAX_LINES = 500;

export function readFrontMatter(text: string): FrontMatter {
  const open = text.startsWith('---\n') ? '---' : text.startsWith('+++\n') ? '+++' : null;
  if (!open) return { data: {}, body: text, lines: 0 };
  const closers = open === '---' ? ['---', '...'] : ['+++'];
  let pos = open.length + 1;
  const raw: string[] = [];
  for (let k = 0; k < MAX_LINES && pos <= text.length; k++) {
    const e = text.indexOf('\n', pos);
    const line = text.slice(pos, e < 0 ? text.length : e);
    if (closers.includes(line.trimEnd())) {
      const end = e < 0 ? text.length : e;
      const lines = raw.length + 2;
      return { data: parsePairs(raw, open === '+++'), body: '\n'.repeat(lines - 1) + text.slice(end), lines };
    }
    raw.push(line);
    if (e < 0) break;
    pos = e + 1;
  }
  // No closing line: a thematic break, not front matter.
  return { data: {}, body: text, lines: 0 };
}

function unquote(v: string): string {
  const s = v.trim();
  if (s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))))
    return s.slice(1, -1);
  return s;
}

function parsePairs(lines: readonly string[], toml: boolean): Record<string, string> {
  const data: Record<string, string> = {};
  let last: string | undefined;
  const pair = toml ? /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/ : /^([A-Za-z0-9_.-]+)\s*:\s*(.*)$/;
  for (const line of lines) {
    if (!line.trim() || /^\s*#/.test(line)) continue;
    const m = /^\S/.test(line) ? pair.exec(line) : null;
    if (m) {
      last = m[1]!;
      data[last] = unquote(m[2]!.replace(/\s+#.*$/, ''));
    } else if (last !== undefined) {
      const item = line.trim().replace(/^-\s+/, '');
      data[last] = data[last] ? `${data[last]}\n${unquote(item)}` : unquote(item);
    }
  }
  return data;
}
