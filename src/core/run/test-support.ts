// Helpers shared by the runner's unit tests (not used by production code).
import type { Command, Placeholder, Step } from '../runbook/model';

/**
 * Placeholders of a test command, found the way the model documents them (`<name>`, `{{name}}`,
 * `${NAME}`, `$NAME`), so tests can state commands as text instead of hand-computing offsets.
 */
export function placeholdersOf(text: string): Placeholder[] {
  const out: Placeholder[] = [];
  const re =
    /<([a-z][a-z0-9_-]*)>|\{\{\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}\}|\$\{([A-Z][A-Z0-9_]*)\}|\$([A-Z][A-Z0-9_]*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [raw, angle, mustache, braced, bare] = m;
    if (angle) out.push({ name: angle, syntax: 'angle', raw, start: m.index });
    else if (mustache) out.push({ name: mustache, syntax: 'mustache', raw, start: m.index });
    else out.push({ name: (braced ?? bare)!, syntax: 'env', raw, start: m.index });
  }
  return out;
}

export function command(text: string, effect: 'read' | 'write' = 'read', line = 1): Command {
  return {
    text,
    line,
    placeholders: placeholdersOf(text),
    effect,
    effectReason: effect === 'write' ? 'test: marked write' : 'test: read',
    effectRule: 'annotation',
  };
}

export function step(
  id: string,
  commands: (string | Command)[],
  more: Partial<Omit<Step, 'id' | 'commands'>> = {},
): Step {
  return {
    id,
    title: more.title ?? id,
    kind: more.kind ?? 'command',
    language: more.language ?? 'bash',
    line: more.line ?? 1,
    endLine: more.endLine ?? 1,
    commands: commands.map((c) => (typeof c === 'string' ? command(c) : c)),
    annotations: more.annotations ?? {},
    path: more.path ?? [],
  };
}
