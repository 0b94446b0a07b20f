import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputFile } from './output-file';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-output-file-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('strings and buffers of every size land in order, private to the user', () => {
  const path = join(dir, 'sub', 'out.log');
  const f = new OutputFile(path);
  const want: Buffer[] = [];
  const add = (p: Buffer | string): void => {
    f.write(p);
    want.push(Buffer.from(p));
  };
  add('héllo ');
  add(Buffer.alloc(3_000_000, 'a'));
  for (let i = 0; i < 5000; i++) add(i % 2 ? `line ${i} ✓\n` : Buffer.from(`bytes ${i}\n`));
  add('x'.repeat(700_000));
  add(Buffer.from('end'));
  f.close();
  assert.equal(f.error, undefined);
  assert.ok(readFileSync(path).equals(Buffer.concat(want)));
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('a pause writes what is pending without waiting for close', async () => {
  const path = join(dir, 'pause.log');
  const f = new OutputFile(path);
  f.write('partial output');
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(readFileSync(path, 'utf8'), 'partial output');
  f.close();
});

test('a file that cannot be created is reported, writes are dropped without throwing', () => {
  const f = new OutputFile(join(dir, 'sub', 'out.log', 'inside-a-file.log'));
  assert.match(f.error ?? '', /could not create the output file/);
  f.write('ignored');
  f.close();
});
