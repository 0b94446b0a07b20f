// Variables: values a step's output sets for later steps, shown (and editable) in the extension's
// Variables view. Design:
//   - A command sets one by printing a line `::set NAME=value` on stdout.
//   - A step annotated `set=NAME` stores the last non-empty stdout line of its last command as NAME;
//     `set=NAME=/regex/` stores the first capture group (or the whole match) of the last stdout
//     line that matches. Several: `set=A,B=/x(\d+)/`.
//   - Names are compared normalised (case, `-` vs `_`): `::set POD_NAME=web-1` fills `<pod-name>`,
//     `{{pod_name}}` and `$POD_NAME` in later steps without asking.
//   - Values whose names look secret (TOKEN, PASSWORD, ...) are added to the run's masker.
import { isSecretName } from './mask';
import { normalizeName } from './placeholder-values';

export interface VariableEntry {
  /** The name as first written. */
  name: string;
  value: string;
  /** Who set it: `step:<id>`, `user`, `placeholder`. */
  source: string;
  updatedAt: string;
  secret: boolean;
}

export type VariablesChange =
  { kind: 'set'; entry: VariableEntry } | { kind: 'delete'; name: string } | { kind: 'clear' };

export class Variables {
  private readonly map = new Map<string, VariableEntry>();
  private readonly listeners = new Set<(c: VariablesChange) => void>();

  constructor(initial: Iterable<VariableEntry> = []) {
    for (const e of initial) this.map.set(normalizeName(e.name), { ...e });
  }

  get(name: string): string | undefined {
    return this.map.get(normalizeName(name))?.value;
  }

  entry(name: string): VariableEntry | undefined {
    const e = this.map.get(normalizeName(name));
    return e && { ...e };
  }

  has(name: string): boolean {
    return this.map.has(normalizeName(name));
  }

  set(name: string, value: string, source = 'user'): void {
    const key = normalizeName(name);
    if (!key) throw new Error(`"${name}" is not a usable variable name`);
    const prev = this.map.get(key);
    const entry: VariableEntry = {
      name: prev?.name ?? name,
      value,
      source,
      updatedAt: new Date().toISOString(),
      secret: isSecretName(name),
    };
    this.map.set(key, entry);
    this.emit({ kind: 'set', entry: { ...entry } });
  }

  delete(name: string): boolean {
    const key = normalizeName(name);
    const had = this.map.delete(key);
    if (had) this.emit({ kind: 'delete', name });
    return had;
  }

  clear(): void {
    this.map.clear();
    this.emit({ kind: 'clear' });
  }

  list(): VariableEntry[] {
    return [...this.map.values()].map((e) => ({ ...e })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Values of secret-looking variables, for the masker. */
  secretValues(): string[] {
    return [...this.map.values()].filter((e) => e.secret).map((e) => e.value);
  }

  /** Subscribe; returns the unsubscribe function. */
  onDidChange(listener: (c: VariablesChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  toJSON(): VariableEntry[] {
    return this.list();
  }

  private emit(c: VariablesChange): void {
    for (const l of this.listeners) {
      try {
        l(c);
      } catch {
        // A broken view must not break a run.
      }
    }
  }
}

export interface CaptureSpec {
  name: string;
  /** Absent: the last non-empty stdout line. */
  regex?: RegExp;
}

/** `set` annotation value -> capture specs; throws with a readable message on bad input. */
export function parseSetAnnotation(value: string): CaptureSpec[] {
  const specs: CaptureSpec[] = [];
  // Split on commas that start a new NAME (a regex may contain commas).
  const parts = value.split(/,(?=\s*[A-Za-z_][A-Za-z0-9_-]*\s*(?:=|,|$))/);
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_-]*)(?:=\/(.*)\/([a-z]*))?$/.exec(part);
    if (!m) throw new Error(`set=${value}: expected NAME or NAME=/regex/, got "${part}"`);
    const [, name, body, flags] = m;
    if (body === undefined) specs.push({ name: name! });
    else {
      try {
        specs.push({ name: name!, regex: new RegExp(body, (flags ?? '').replace(/[gy]/g, '')) });
      } catch (err) {
        throw new Error(`set=${value}: bad regex for ${name!}: ${(err as Error).message}`, { cause: err });
      }
    }
  }
  return specs;
}
