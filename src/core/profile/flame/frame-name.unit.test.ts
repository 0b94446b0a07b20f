import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packageOf, parseFrameText } from './frame-name';

test('frame texts of the common tools are split into name, file, line and package', () => {
  assert.deepEqual(parseFrameText('fit (implicit/als.py:159)'), {
    name: 'fit',
    file: 'implicit/als.py',
    line: 159,
    pkg: 'implicit',
  });
  assert.deepEqual(parseFrameText('<module> (lastfm.py:161)'), {
    name: '<module>',
    file: 'lastfm.py',
    line: 161,
    pkg: 'lastfm',
  });
  assert.deepEqual(parseFrameText('torch/nn/modules/module.py(1783):__call_impl'), {
    name: '_call_impl',
    file: 'torch/nn/modules/module.py',
    line: 1783,
    pkg: 'torch',
  });
  assert.deepEqual(parseFrameText('prof.py(9): <module>'), {
    name: '<module>',
    file: 'prof.py',
    line: 9,
    pkg: 'prof',
  });
  assert.deepEqual(parseFrameText('function1(http://localhost:8081/index.bundle?platform=android:1:1)'), {
    name: 'function1',
    file: 'http://localhost:8081/index.bundle?platform=android',
    line: 1,
    column: 1,
    pkg: 'localhost:8081',
  });
  assert.deepEqual(parseFrameText('oopDesc* PSPromotionManager::copy_to_survivor_space<false>'), {
    name: 'oopDesc* PSPromotionManager::copy_to_survivor_space<false>',
    pkg: 'PSPromotionManager',
  });
  assert.deepEqual(parseFrameText('hypercall_page_[k]'), { name: 'hypercall_page_[k]', pkg: 'kernel' });
});

test('packages from paths, DSOs and qualified names', () => {
  assert.equal(packageOf('f', '/app/node_modules/@babel/core/lib/index.js'), '@babel/core');
  assert.equal(packageOf('f', 'file:///app/node_modules/a/node_modules/lodash/x.js'), 'lodash');
  assert.equal(packageOf('f', '/usr/lib/python3/site-packages/numpy/core/x.py'), 'numpy');
  assert.equal(packageOf('f', 'node:internal/fs'), 'node');
  assert.equal(packageOf('f', undefined, '[kernel.kallsyms]'), 'kernel');
  assert.equal(packageOf('f', undefined, '/usr/lib/x86_64-linux-gnu/libc.so.6'), 'libc.so.6');
  assert.equal(packageOf('main.beta'), 'main');
  assert.equal(packageOf('github.com/x/y/z.(*T).Run'), 'github.com/x/y/z');
  assert.equal(packageOf('io/netty/channel/nio/NioEventLoop:.run_[j]'), 'io.netty.channel.nio');
  assert.equal(packageOf('aten::addmm'), 'aten');
  assert.equal(packageOf('plain'), undefined);
});
