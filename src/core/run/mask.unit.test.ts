import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MASK, Masker, isSecretName } from './mask';

test('masks the documented kinds of secret', () => {
  const m = new Masker(['s3cr3t-from-storage']);
  const cases: [string, string][] = [
    ['postgres://app:hunter22@db:5432/x', `postgres://app:${MASK}@db:5432/x`],
    ['host=db password=hunter22 user=app', `host=db password=${MASK} user=app`],
    ['export PGPASSWORD=hunter22', `export PGPASSWORD=${MASK}`],
    ['Authorization: Bearer eyJhbGciOi.abc.def', `Authorization: Bearer ${MASK}`],
    ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', `aws_access_key_id = ${MASK}`],
    ['id AKIAIOSFODNN7EXAMPLE here', `id ${MASK} here`],
    ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG', `AWS_SECRET_ACCESS_KEY=${MASK}`],
    ['{"password": "p@ss word"}', `{"password": ${MASK}}`],
    ['mysql --password hunter22 -h db', `mysql --password ${MASK} -h db`],
    ['the pw is s3cr3t-from-storage.', `the pw is ${MASK}.`],
    ['GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789', `GITHUB_TOKEN=${MASK}`],
    ['a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----\nb', `a\n${MASK}\nb`],
  ];
  for (const [input, want] of cases) assert.equal(m.mask(input), want, input);
});

test('leaves ordinary diagnostics alone', () => {
  const m = new Masker();
  for (const s of [
    'FATAL:  password authentication failed for user "app"',
    'kubectl get pods -n kube-system',
    'primary key violation on table users',
    'tokens processed: 12',
  ])
    assert.equal(m.mask(s), s);
});

test('env values with secret-looking names are masked, short values are not', () => {
  const m = Masker.fromEnv({
    API_TOKEN: 'tok-123456',
    HOME: '/root',
    SOME_KEY: 'on',
    DB_PASSWORD: 'pw-abcdef',
  });
  assert.equal(m.mask('tok-123456 /root on pw-abcdef'), `${MASK} /root on ${MASK}`);
  assert.ok(isSecretName('GITHUB_TOKEN') && isSecretName('db-password') && !isSecretName('namespace'));
});

test('url-encoded forms of a known secret are masked too', () => {
  const m = new Masker(['p@ss:w/rd']);
  assert.equal(m.mask('postgres://u:p%40ss%3Aw%2Frd@h/d'), `postgres://u:${MASK}@h/d`);
});

test('stream: a secret split across chunks at any point is still masked', () => {
  const m = new Masker(['correct-horse-battery']);
  const text =
    'start\nconnecting to postgres://app:hunter22@db/x now\nPGPASSWORD=zz9plural and correct-horse-battery\nBearer abcdefgh123 end\nlast line';
  const want = m.mask(text);
  fc.assert(
    fc.property(fc.array(fc.nat(text.length), { maxLength: 8 }), (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const s = m.stream(64);
      let out = '';
      let prev = 0;
      for (const p of [...points, text.length]) {
        out += s.push(text.slice(prev, p));
        prev = p;
      }
      out += s.flush();
      assert.equal(out, want);
    }),
    { numRuns: 300 },
  );
});

test('stream: long lines without newlines are released, not buffered forever', () => {
  const s = new Masker().stream(256);
  let released = 0;
  for (let i = 0; i < 100; i++) released += s.push('x'.repeat(1000)).length;
  assert.ok(released >= 100 * 1000 - 256 - 1, `released ${released}`);
  assert.ok(s.held <= 257);
});

test('stream: an unterminated private key at the end is hidden', () => {
  const s = new Masker().stream();
  const out = s.push('x\n-----BEGIN PRIVATE KEY-----\nMIIE\nabc') + s.flush();
  assert.equal(out, `x\n-----BEGIN PRIVATE KEY-----${MASK}`);
});
