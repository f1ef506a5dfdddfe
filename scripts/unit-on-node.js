#!/usr/bin/env node
/**
 * `npm run test:unit:node -- <major>`: the unit suite on another pinned Node.js release
 * (installed into .tools/node-<major> by setup-tools.js), as .ci/run runs it on 24 and 22.
 * Jest's workers are started with the same binary, so every test runs on that release.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { installNode } = require('./setup-tools');

const major = process.argv[2];
if (!major) {
  process.stderr.write('usage: npm run test:unit:node -- <major> [jest arguments]\n');
  process.exit(2);
}
const node = installNode(major);
const jest = path.join(__dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js');
const started = Date.now();
const run = spawnSync(node, [jest, '--ci', '--selectProjects', 'unit', ...process.argv.slice(3)], {
  stdio: 'inherit',
  // Tools the tests start by name (tsx, the CLI) find this node first.
  env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` },
});
process.stdout.write(`[unit-on-node] Node.js ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}: unit suite ${run.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n`);
process.exit(run.status ?? 1);
