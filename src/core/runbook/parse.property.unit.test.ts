// Properties over generated Markdown: parsing never throws (nor falls back to its internal-error
// model), the model is self-consistent, and step ids do not move when unrelated text changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRunbook } from './parse';
import { allSteps, type Runbook, type Section } from './model';
import { lexShell } from './shell-lex';
import { splitShellBlock, splitConsoleBlock } from './shell-block';
import { splitSql } from './sql-block';

const word = fc.constantFrom(
  'pods',
  'memory',
  'Check',
  'disk',
  'latency',
  'DB',
  'Fix',
  'the',
  '<pid>',
  '{{ns}}',
  '$VAR',
  '→',
);
const words = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
const shellLine = fc.oneof(
  fc.constantFrom(
    'kubectl get pods -n {{ns}}',
    'jcmd <pid> GC.run',
    "psql <<'SQL'\nSELECT 1;\nSQL",
    'curl -X POST http://x \\\n  -d "{}"',
    'for p in a b; do\n  echo $p\ndone',
    "echo 'unclosed",
    'cat <<EOF',
    '$(',
    '`',
    '# comment title',
    '# runbook: id=x timeout=zz',
  ),
  fc.string({ maxLength: 40 }),
);
const fenceLang = fc.constantFrom(
  'bash',
  'sh',
  'console',
  'sql',
  'psql',
  'python',
  'json',
  '',
  'bash {id=a confirm}',
  'text',
);
const block = fc.oneof(
  words.map((w) => `# ${w}`),
  words.map((w) => `### ${w} ###`),
  words.map((w) => `${w}\n${'='.repeat(w.length)}`),
  words.map((w) => `${w}\n---`),
  words.map((w) => `=== ${w} ===`),
  words.map((w) => `**${w}**`),
  words.map((w) => `${w}:`),
  words,
  fc.array(words, { minLength: 1, maxLength: 4 }).map((ws) => ws.map((w, i) => `${i + 1}. ${w}`).join('\n')),
  fc.array(words, { minLength: 1, maxLength: 4 }).map((ws) => ws.map((w) => `- [ ] ${w}`).join('\n')),
  fc
    .array(words, { minLength: 1, maxLength: 3 })
    .map((ws) => ws.map((w, i) => `${'  '.repeat(i)}* ${w}`).join('\n')),
  fc
    .tuple(
      fenceLang,
      fc.array(shellLine, { maxLength: 5 }),
      fc.constantFrom('```', '~~~', '````'),
      fc.boolean(),
    )
    .map(([lang, lines, fence, close]) => `${fence}${lang}\n${lines.join('\n')}${close ? `\n${fence}` : ''}`),
  fc
    .tuple(words, fc.array(shellLine, { maxLength: 3 }))
    .map(([w, lines]) => `1. ${w}\n   \`\`\`bash\n${lines.map((l) => `   ${l}`).join('\n')}\n   \`\`\``),
  fc.constantFrom(
    '<!-- runbook: id=a confirm expect="x < 1" -->',
    '<!-- runbook: timeout= "unclosed -->',
    '<!-- plain comment -->',
    '<!-- runbook: id=never closed',
    '| a | b |\n|---|---|\n| **x** | `y` |',
    '> quoted\n> ```bash\n> uptime\n> ```',
    '\tindented code',
    '---\ntitle: x\n---',
    '<div>\n<pid>\n</div>',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
);
const doc = fc
  .tuple(
    fc.array(block, { maxLength: 25 }),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.constantFrom('\n\n', '\n'),
  )
  .map(([blocks, nl, sep]) => blocks.join(sep).replace(/\n/g, nl));

function sectionsOf(rb: Runbook): Section[] {
  const out: Section[] = [];
  const visit = (s: Section): void => {
    out.push(s);
    s.sections.forEach(visit);
  };
  rb.sections.forEach(visit);
  return out;
}

function checkConsistent(text: string, rb: Runbook): void {
  assert.ok(
    !rb.diagnostics.some((d) => d.message.startsWith('internal parser error')),
    JSON.stringify(rb.diagnostics),
  );
  const lines = text.split(/\r\n|\r|\n/).length;
  const steps = allSteps(rb);
  assert.equal(new Set(steps.map((s) => s.id)).size, steps.length, 'ids are unique');
  for (const s of steps) {
    assert.ok(
      s.line >= 1 && s.line <= s.endLine && s.endLine <= lines,
      `step lines ${s.line}-${s.endLine} of ${lines}`,
    );
    assert.ok(s.title.length > 0);
    if (s.kind === 'manual') assert.equal(s.commands.length, 0);
    for (const c of s.commands) {
      assert.ok(c.line >= 1 && c.line <= lines);
      for (const p of c.placeholders) assert.equal(c.text.slice(p.start, p.start + p.raw.length), p.raw);
      assert.ok(c.effect === 'read' || c.effect === 'write');
    }
  }
  for (const s of sectionsOf(rb)) assert.ok(s.line >= 1 && s.line <= s.endLine && s.endLine <= lines);
  for (const d of rb.diagnostics) assert.ok(d.line >= 1 && d.line <= lines + 1);
}

test('parsing never throws and the model is consistent, on generated Markdown', () => {
  fc.assert(
    fc.property(doc, (text) => {
      checkConsistent(text, parseRunbook(text, { fileName: 'gen.md' }));
    }),
    { numRuns: 400 },
  );
});

test('parsing never throws on arbitrary text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
      checkConsistent(text, parseRunbook(text));
    }),
    { numRuns: 300 },
  );
});

test('the shell and SQL splitters never throw, and shell commands are text of their block', () => {
  fc.assert(
    fc.property(
      fc.array(shellLine, { maxLength: 12 }).map((l) => l.join('\n')),
      (content) => {
        lexShell(content);
        for (const g of splitShellBlock(content).groups)
          for (const c of g.commands) assert.equal(content.slice(c.base, c.base + c.text.length), c.text);
        splitConsoleBlock(content, true);
        splitSql(content);
      },
    ),
    { numRuns: 300 },
  );
});

test('CR, LF and CRLF files give the same model', () => {
  fc.assert(
    fc.property(fc.array(block, { maxLength: 15 }), (blocks) => {
      const lf = blocks.join('\n\n').replace(/\r\n?/g, '\n');
      const expected = parseRunbook(lf);
      assert.deepEqual(parseRunbook(lf.replace(/\n/g, '\r\n')), expected);
    }),
    { numRuns: 150 },
  );
});

// Stable ids: a runbook of uniquely titled sections, each with steps; an edit elsewhere in the file
// must not change the id of any step that was already there.
const title = fc.stringMatching(/^[A-Z][a-z]{2,8}( [a-z]{2,8}){0,3}$/);
const section = fc.record({
  title,
  prose: words,
  manual: fc.uniqueArray(title, { maxLength: 3 }),
  commands: fc.uniqueArray(title, { maxLength: 3 }),
});
type Sec = { title: string; prose: string; manual: string[]; commands: string[] };

function render(sections: readonly Sec[]): string {
  return sections
    .map((s) =>
      [
        `## ${s.title}`,
        s.prose,
        s.manual.length ? s.manual.map((m, i) => `${i + 1}. ${m}`).join('\n') : '',
        s.commands.length
          ? ['```bash', ...s.commands.flatMap((c) => [`# ${c}`, `kubectl get ${c.length}`]), '```'].join('\n')
          : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    )
    .join('\n\n');
}

const idsByTitle = (rb: Runbook): Map<string, string> =>
  new Map(allSteps(rb).map((s) => [`${s.path.join('/')}|${s.title}|${s.kind}`, s.id]));

test('step ids do not change when unrelated text changes', () => {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('prose' as const), text: words }),
    fc.record({
      kind: fc.constant('command' as const),
      text: fc.constantFrom('kubectl top pods', 'df -h', 'uptime'),
    }),
    fc.record({ kind: fc.constant('insert-section' as const), section }),
    fc.record({ kind: fc.constant('remove-section' as const) }),
  );
  fc.assert(
    fc.property(
      fc.uniqueArray(section, { minLength: 2, maxLength: 6, selector: (s) => s.title }),
      fc.nat(),
      edit,
      (sections, at, e) => {
        const before = idsByTitle(parseRunbook(render(sections)));
        const k = at % sections.length;
        const changed = sections.map((s) => ({ ...s }));
        if (e.kind === 'prose') changed[k]!.prose = e.text;
        else if (e.kind === 'command') changed[k]!.commands = changed[k]!.commands.map(() => e.text);
        else if (e.kind === 'insert-section') {
          if (sections.some((s) => s.title === e.section.title)) return;
          changed.splice(k, 0, e.section);
        } else changed.splice(k, 1);
        const after = idsByTitle(parseRunbook(render(changed)));
        // Removing a section removes its steps; every step still there keeps its id.
        for (const [key, id] of before) if (after.has(key)) assert.equal(after.get(key), id, key);
      },
    ),
    { numRuns: 300 },
  );
});
