import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  annotationComment,
  mergeAnnotations,
  parseAnnotations,
  parseDuration,
  splitInfo,
} from './annotations';
import { readFrontMatter } from './front-matter';
import { itemTitle, plainInline, slug } from './text';

test('annotation keys: id, title, timeout, cwd, confirm, repeated expect, lang, effect, extra', () => {
  const r = parseAnnotations(
    'id=check-mem title="Check memory" timeout=30s cwd=/srv confirm expect="gpu.memory.used_pct < 95" expect=\'exit == 0\' lang=Bash effect=read owner=sre',
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.annotations, {
    id: 'check-mem',
    title: 'Check memory',
    timeoutSeconds: 30,
    cwd: '/srv',
    confirm: true,
    expect: ['gpu.memory.used_pct < 95', 'exit == 0'],
    language: 'bash',
    effect: 'read',
    extra: { owner: 'sre' },
  });
});

test('pandoc-style {#id .lang} and commas are accepted', () => {
  assert.deepEqual(parseAnnotations('#heap-dump .bash, confirm=false').annotations, {
    id: 'heap-dump',
    confirm: false,
  });
});

test('bad values become problems, never exceptions; the rest still parses', () => {
  const r = parseAnnotations('id="bad id!" timeout=soon confirm=maybe effect=delete expect= title="unclosed');
  assert.equal(r.problems.length, 6);
  assert.deepEqual(r.annotations, { title: 'unclosed' });
  assert.match(r.problems.join('\n'), /timeout "soon" is not a duration/);
  assert.deepEqual(parseAnnotations('=oops skip').problems, ['unexpected "=oops" in annotation']);
  assert.equal(parseAnnotations('skip').skip, true);
});

test('durations', () => {
  assert.equal(parseDuration('30'), 30);
  assert.equal(parseDuration('500ms'), 0.5);
  assert.equal(parseDuration('2m'), 120);
  assert.equal(parseDuration('1h'), 3600);
  assert.equal(parseDuration('1m30s'), 90);
  assert.equal(parseDuration('1.5s'), 1.5);
  assert.equal(parseDuration('soon'), undefined);
  assert.equal(parseDuration('30 s'), undefined);
});

test('HTML comments: only `runbook:` ones are annotations', () => {
  assert.deepEqual(annotationComment('<!-- runbook: id=a confirm -->\n'), {
    text: 'id=a confirm',
    closed: true,
  });
  assert.deepEqual(annotationComment('<!--runbook:timeout=5-->'), { text: 'timeout=5', closed: true });
  assert.equal(annotationComment('<!-- TODO: fix this -->'), undefined);
  assert.deepEqual(annotationComment('<!-- runbook: id=a'), { text: 'id=a', closed: false });
});

test('fence info strings: language and {attributes}', () => {
  assert.deepEqual(splitInfo('bash {id=check-mem timeout=30}'), {
    language: 'bash',
    attributes: 'id=check-mem timeout=30',
  });
  assert.deepEqual(splitInfo('Python'), { language: 'python', attributes: null });
  assert.deepEqual(splitInfo('{.sql #q1}'), { language: 'sql', attributes: '.sql #q1' });
  assert.deepEqual(splitInfo(''), { language: null, attributes: null });
});

test('merging: later single values win, expect and extra accumulate', () => {
  const m = mergeAnnotations(
    parseAnnotations('id=a expect=x owner=me timeout=5'),
    parseAnnotations('id=b expect=y team=sre'),
  );
  assert.deepEqual(m.annotations, {
    id: 'b',
    expect: ['x', 'y'],
    extra: { owner: 'me', team: 'sre' },
    timeoutSeconds: 5,
  });
});

test('front matter: YAML and TOML, blanked out so line numbers stay', () => {
  const fm = readFrontMatter(
    '---\ntitle: "Disk full"\nowner: sre # team\ntags:\n  - disk\n  - linux\n---\n# Heading\n',
  );
  assert.deepEqual(fm.data, { title: 'Disk full', owner: 'sre', tags: 'disk\nlinux' });
  assert.equal(fm.body.split('\n')[7], '# Heading');
  assert.equal(fm.lines, 7);
  assert.deepEqual(readFrontMatter('+++\ntitle = "T"\n+++\nx').data, { title: 'T' });
  // An unclosed block is a thematic break, not front matter.
  assert.deepEqual(readFrontMatter('---\nnot front matter\n').data, {});
});

test('inline Markdown to plain text keeps placeholders and drops markup', () => {
  assert.equal(
    plainInline('Run **`kubectl top`** on [the node](http://x) <br> for <pod-name>'),
    'Run kubectl top on the node for <pod-name>',
  );
  assert.equal(plainInline('A &amp; B\\*'), 'A & B*');
  assert.equal(plainInline('  two\n lines '), 'two lines');
});

test('slugs: lowercase words of any script, bounded length', () => {
  assert.equal(slug('High Latency (>2 seconds response time)'), 'high-latency-2-seconds-response-time');
  assert.equal(slug('Café Überprüfung'), 'cafe-uberprufung');
  assert.equal(slug('メモリ リーク'), 'メモリ-リーク');
  assert.equal(slug('!!!'), '');
  assert.ok(slug('word '.repeat(100), 48).length <= 48);
});

test('step titles from list items: trailing . and : dropped; a long instruction cut to its first clause', () => {
  assert.deepEqual(itemTitle('Examine slow query logs.'), {
    title: 'Examine slow query logs',
    description: 'Examine slow query logs.',
  });
  assert.deepEqual(itemTitle('Monitor active connections vs. maximum allowed'), {
    title: 'Monitor active connections vs. maximum allowed',
  });
  assert.deepEqual(itemTitle('Wait...'), { title: 'Wait...' });
  const long =
    "Check load balancer metrics for traffic spikes: open the load balancer's dashboard and compare the request rate of the last hour";
  assert.deepEqual(itemTitle(long), {
    title: 'Check load balancer metrics for traffic spikes',
    description: long,
  });
  const sentence =
    'Restart the worker pool gracefully. Wait for the queue to drain before restarting the next region, then verify.';
  assert.equal(itemTitle(sentence).title, 'Restart the worker pool gracefully');
  assert.ok(itemTitle('x'.repeat(300)).title.length <= 100);
});
