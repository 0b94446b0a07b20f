// A light reading of a command line: which programs it runs and with which words. Enough to pick a
// recognizer (`kubectl top pods -A | head` runs kubectl top pods), not a shell parser.

/** Words of each simple command in a pipeline or list, quotes removed, env assignments and sudo dropped. */
export function commandSegments(line: string): string[][] {
  const segments: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endSegment = (): void => {
    endWord();
    if (words.length) segments.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      const next = line[++i] as string;
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
    } else if (ch === '|' || ch === ';' || ch === '&' || ch === '\n' || ch === '(' || ch === ')') {
      endSegment();
    } else if (/\s/.test(ch)) {
      endWord();
    } else {
      word += ch;
      inWord = true;
    }
  }
  endSegment();
  return segments.map(stripPrefixes).filter((s) => s.length > 0);
}

function stripPrefixes(words: string[]): string[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i] as string;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else if (w === 'sudo' || w === 'time' || w === 'exec' || w === 'command' || w === 'nohup') i++;
    else if ((w === 'timeout' || w === 'watch') && i + 1 < words.length) {
      i++;
      while (i < words.length && /^(-\S+|\d+(\.\d+)?[smhd]?)$/.test(words[i] as string)) i++;
    } else break;
  }
  return words.slice(i);
}

/** The program's base name: `/usr/bin/nvidia-smi` → `nvidia-smi`. */
export const programName = (word: string | undefined): string => (word ?? '').replace(/^.*\//, '');

/** The first simple command whose program is one of `programs`. */
export function findInvocation(line: string, programs: readonly string[]): string[] | null {
  for (const seg of commandSegments(line)) {
    if (programs.includes(programName(seg[0]))) return seg;
  }
  return null;
}

/** True when the words hold a flag `name` (also `name=value`). */
export function hasFlag(words: readonly string[], ...names: string[]): boolean {
  return words.some((w) => names.some((n) => w === n || w.startsWith(`${n}=`)));
}

/** The value of `--name=value` or `--name value`. */
export function flagValue(words: readonly string[], name: string): string | null {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w.startsWith(`${name}=`)) return w.slice(name.length + 1);
    if (w === name) return words[i + 1] ?? null;
  }
  return null;
}

/** Words that are not flags (and not a flag's value when the flag is in `valued`). */
export function positionals(words: readonly string[], valued: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w.startsWith('-')) {
      if (valued.includes(w)) i++;
      continue;
    }
    out.push(w);
  }
  return out;
}
