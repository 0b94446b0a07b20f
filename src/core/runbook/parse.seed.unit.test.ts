// Golden test: the guide the product grew from, read exactly as it is. The expected outline below is
// written by hand from the guide, not captured from the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRunbook } from './parse';
import { allSteps, type Section, type SectionOrigin, type Step } from './model';

const SEED = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt');
const text = readFileSync(SEED, 'utf8');
const runbook = parseRunbook(text, { fileName: '000_58837c42b8b59d6d.txt' });

interface Cmd {
  text: string;
  line: number;
  placeholders: string[];
  effect: 'read' | 'write';
}
interface ExpectedStep {
  kind: Step['kind'];
  title: string;
  line: number;
  commands?: Cmd[];
}
interface ExpectedSection {
  origin: SectionOrigin;
  title: string;
  line: number;
  steps?: ExpectedStep[];
  /** Number of non-step list items (symptoms, causes, metrics). */
  items?: number;
  sections?: ExpectedSection[];
}

const eq = (title: string, line: number, sections: ExpectedSection[]): ExpectedSection => ({
  origin: 'equals-line',
  title,
  line,
  sections,
});
const bold = (title: string, line: number, sections: ExpectedSection[]): ExpectedSection => ({
  origin: 'bold-line',
  title,
  line,
  sections,
});
const label = (
  title: string,
  line: number,
  content: { items?: number; steps?: ExpectedStep[] },
): ExpectedSection => ({ origin: 'label', title, line, ...content });
const manual = (line: number, title: string): ExpectedStep => ({ kind: 'manual', title, line });
const cmd = (line: number, text: string, effect: 'read' | 'write', placeholders: string[] = []): Cmd => ({
  text,
  line,
  effect,
  placeholders,
});

const EXPECTED: ExpectedSection[] = [
  eq('Common Issues and Solutions', 3, [
    bold('High Latency (>2 seconds response time)', 5, [
      label('Symptoms', 7, { items: 3 }),
      label('Diagnostic Steps', 12, {
        steps: [
          manual(13, 'Check load balancer metrics for traffic spikes'),
          manual(14, 'Monitor database connection pool utilization'),
          manual(15, 'Examine AI model inference queue length'),
          manual(16, 'Verify CDN cache hit rates for static assets'),
        ],
      }),
      label('Common Causes and Fixes', 18, { items: 4 }),
      label('Emergency Mitigation', 24, {
        steps: [
          manual(25, 'Enable circuit breakers to fail fast'),
          manual(26, 'Scale out application servers horizontally'),
          manual(27, 'Temporarily disable non-critical features'),
          manual(28, 'Activate read replicas for database queries'),
        ],
      }),
    ]),
    bold('Memory Leaks', 30, [
      label('Symptoms', 32, { items: 4 }),
      label('Diagnostic Commands', 38, {
        steps: [
          {
            kind: 'command',
            title: 'Monitor memory usage',
            line: 40,
            commands: [
              cmd(41, 'kubectl top pods --sort-by=memory', 'read'),
              cmd(42, 'docker stats --format "table {{.Container}}\\t{{.CPUPerc}}\\t{{.MemUsage}}"', 'read'),
            ],
          },
          {
            kind: 'command',
            title: 'Generate heap dump for Java applications',
            line: 44,
            commands: [
              cmd(45, 'jcmd <pid> GC.run_finalization', 'write', ['pid']),
              cmd(46, 'jcmd <pid> VM.gc', 'write', ['pid']),
              cmd(47, 'jmap -dump:format=b,file=heapdump.hprof <pid>', 'write', ['pid']),
            ],
          },
          {
            kind: 'command',
            title: 'Python memory profiling',
            line: 49,
            commands: [
              cmd(50, 'python -m memory_profiler your_script.py', 'write'),
              cmd(51, 'py-spy record -o profile.svg -d 60 -p <pid>', 'read', ['pid']),
            ],
          },
        ],
      }),
      label('Common Sources', 54, { items: 4 }),
      label('Fixes', 60, { items: 4 }),
    ]),
    bold('Database Connection Issues', 66, [
      label('Symptoms', 68, { items: 4 }),
      label('Troubleshooting Steps', 74, {
        steps: [
          manual(75, 'Check database server status and resource utilization'),
          manual(76, 'Monitor active connections vs. maximum allowed'),
          manual(77, 'Examine slow query logs'),
          manual(78, 'Verify network connectivity between app and database'),
        ],
      }),
      label('Connection Pool Configuration', 80, {
        steps: [{ kind: 'script', title: 'Connection Pool Configuration', line: 81 }],
      }),
    ]),
    bold('AI Model Inference Failures', 93, [
      label('Symptoms', 95, { items: 4 }),
      label('Common Issues', 101, { items: 4 }),
      label('Debugging Steps', 107, {
        steps: [
          {
            kind: 'command',
            title: 'Check GPU memory usage',
            line: 109,
            commands: [cmd(110, 'nvidia-smi', 'read'), cmd(111, 'gpustat -cp', 'read')],
          },
          {
            kind: 'command',
            title: 'Validate model files',
            line: 113,
            commands: [
              cmd(
                114,
                `python -c "import torch; model = torch.load('model.pth'); print(model.keys())"`,
                'write',
              ),
            ],
          },
          {
            kind: 'command',
            title: 'Test model inference with sample data',
            line: 116,
            commands: [
              cmd(
                117,
                'curl -X POST https://api.example.com/predict \\\n' +
                  '  -H "Content-Type: application/json" \\\n' +
                  `  -d '{"text": "test input"}'`,
                'write',
              ),
            ],
          },
        ],
      }),
      label('Solutions', 122, { items: 4 }),
    ]),
  ]),
  eq('Monitoring and Alerting', 128, [
    bold('Key Metrics to Track', 130, [
      label('Application Performance', 132, { items: 4 }),
      label('Business Metrics', 138, { items: 4 }),
      label('AI/ML Specific', 144, { items: 4 }),
    ]),
    bold('Alert Configuration', 150, [
      label('Critical Alerts (PagerDuty)', 152, { items: 4 }),
      label('Warning Alerts (Slack)', 158, { items: 4 }),
    ]),
    bold('Runbook Examples', 164, [
      label('Database Outage Response', 166, {
        steps: [
          manual(167, 'Verify outage scope (primary vs. replica)'),
          manual(168, 'Check recent deployments or configuration changes'),
          manual(169, 'Attempt connection to backup database'),
          manual(170, 'Communicate status to stakeholders'),
          manual(171, 'Implement read-only mode if possible'),
          manual(172, 'Document incident timeline and root cause'),
        ],
      }),
      label('Service Degradation', 174, {
        steps: [
          manual(175, 'Check recent deployments and roll back if necessary'),
          manual(176, 'Scale out application instances'),
          manual(177, 'Review error logs for common patterns'),
          manual(178, 'Contact on-call engineer if issue persists'),
          manual(179, 'Prepare customer communication'),
          manual(180, 'Schedule post-incident review'),
        ],
      }),
    ]),
  ]),
  eq('Performance Optimization', 182, [
    bold('Database Optimization', 184, [
      label('Query Performance', 186, { items: 4 }),
      label('Example Index Creation', 192, {
        steps: [
          {
            kind: 'query',
            title: 'Composite index for common query patterns',
            line: 194,
            commands: [
              cmd(
                195,
                "CREATE INDEX idx_user_created_status ON users(created_at, status) WHERE status = 'active';",
                'write',
              ),
            ],
          },
          {
            kind: 'query',
            title: 'Partial index for specific conditions',
            line: 197,
            commands: [
              cmd(
                198,
                "CREATE INDEX idx_orders_pending ON orders(created_at) WHERE status = 'pending';",
                'write',
              ),
            ],
          },
          {
            kind: 'query',
            title: 'Expression index for computed values',
            line: 200,
            commands: [
              cmd(201, "CREATE INDEX idx_email_domain ON users(substring(email from '@(.*)$'));", 'write'),
            ],
          },
        ],
      }),
      label('Connection Optimization', 204, { items: 4 }),
    ]),
    bold('Caching Strategies', 210, [
      label('Application-Level Caching', 212, {
        steps: [{ kind: 'script', title: 'Application-Level Caching', line: 213 }],
      }),
      label('CDN Configuration', 240, { items: 4 }),
    ]),
    bold('AI/ML Performance', 246, [
      label('Model Serving Optimization', 248, { items: 4 }),
      label('Example Batch Processing', 254, {
        steps: [{ kind: 'script', title: 'Example Batch Processing', line: 255 }],
      }),
      label('Resource Management', 265, { items: 4 }),
    ]),
  ]),
];

/** The parsed sections reduced to the shape of EXPECTED (commands only where EXPECTED lists them). */
function shape(sections: readonly Section[], expected: readonly ExpectedSection[]): ExpectedSection[] {
  return sections.map((s, k) => {
    const e = expected[k];
    const out: ExpectedSection = { origin: s.origin, title: s.title, line: s.line };
    if (s.steps.length)
      out.steps = s.steps.map((st, j) => {
        const es = e?.steps?.[j];
        const r: ExpectedStep = { kind: st.kind, title: st.title, line: st.line };
        if (es?.commands)
          r.commands = st.commands.map((c) => ({
            text: c.text,
            line: c.line,
            effect: c.effect,
            placeholders: c.placeholders.map((p) => p.name),
          }));
        return r;
      });
    if (s.items?.length) out.items = s.items.length;
    if (s.sections.length) out.sections = shape(s.sections, e?.sections ?? []);
    return out;
  });
}

test('seed: title from the first line, no diagnostics, no steps outside sections', () => {
  assert.equal(runbook.title, 'Production System Troubleshooting Guide');
  assert.deepEqual(runbook.diagnostics, []);
  assert.deepEqual(runbook.steps, []);
});

test('seed: every section with its nesting, every step and command', () => {
  assert.deepEqual(shape(runbook.sections, EXPECTED), EXPECTED);
});

test('seed: nesting levels and section ranges', () => {
  const [issues, monitoring, perf] = runbook.sections;
  assert.equal(issues!.level, 1);
  assert.equal(issues!.sections[1]!.level, 2);
  assert.equal(issues!.sections[1]!.sections[1]!.level, 3);
  // A section ends where the next one at its level or above starts.
  assert.equal(issues!.endLine, 126);
  assert.equal(monitoring!.line, 128);
  assert.equal(perf!.endLine, 269);
  assert.equal(issues!.sections[0]!.sections[0]!.endLine, 10);
});

test('seed: every numbered step is a manual step, in document order', () => {
  const numbered = text
    .split('\n')
    .map((l, i) => ({ l, line: i + 1 }))
    .filter((x) => /^\d+\. /.test(x.l));
  const manualSteps = allSteps(runbook).filter((s) => s.kind === 'manual');
  for (const n of numbered)
    assert.ok(
      manualSteps.some((s) => s.line === n.line && s.title === n.l.replace(/^\d+\. /, '')),
      `line ${n.line} is a manual step`,
    );
  assert.equal(numbered.length, 20);
});

test('seed: symptoms and causes stay as items for diagnosis, with their text and line', () => {
  const causes = runbook.sections[0]!.sections[0]!.sections[2]!;
  assert.equal(causes.title, 'Common Causes and Fixes');
  assert.deepEqual(causes.items?.[0], {
    text: 'Database connection exhaustion → Increase connection pool size or implement connection pooling',
    line: 19,
    depth: 0,
  });
});

test('seed: step ids are unique and readable', () => {
  const steps = allSteps(runbook);
  assert.equal(new Set(steps.map((s) => s.id)).size, steps.length);
  const heap = steps.find((s) => s.title === 'Generate heap dump for Java applications')!;
  assert.equal(
    heap.id,
    'common-issues-and-solutions/memory-leaks/diagnostic-commands/generate-heap-dump-for-java-applications',
  );
  assert.deepEqual(heap.path, ['Common Issues and Solutions', 'Memory Leaks', 'Diagnostic Commands']);
});

test('seed: placeholders carry syntax, raw text and offset', () => {
  const jmap = allSteps(runbook)
    .flatMap((s) => s.commands)
    .find((c) => c.text.startsWith('jmap'))!;
  assert.deepEqual(jmap.placeholders, [{ name: 'pid', syntax: 'angle', raw: '<pid>', start: 40 }]);
  assert.equal(jmap.text.slice(40, 45), '<pid>');
  assert.equal(jmap.effectRule, 'jmap-dump');
});

test('seed: scripts are one command holding the whole block', () => {
  const pool = allSteps(runbook).find((s) => s.title === 'Connection Pool Configuration')!;
  assert.equal(pool.language, 'python');
  assert.equal(pool.commands.length, 1);
  assert.equal(pool.commands[0]!.line, 82);
  assert.ok(pool.commands[0]!.text.startsWith('# Example for SQLAlchemy\nengine = create_engine('));
  assert.ok(pool.commands[0]!.text.endsWith('\n)'));
  assert.equal(pool.commands[0]!.effect, 'write');
});
