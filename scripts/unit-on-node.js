#!/usr/bin/env node
/**
 * `npm run test:unit:node -- <major> [<major> …] [jest arguments]`: the unit suite on other
 * pinned Node.js releases (installed into .tools/node-<major> by setup-tools.js), as .ci/run runs
 * it on 24 and 22. Jest's workers are started with the same binary, so every test runs on that
 * release. Several releases run side by side: on our two cores Jest runs a suite in band, so two
 * suites at once take the time of one. Each one's output is printed whole when it ends.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { installNode } = require('./setup-tools');

// The releases first, then Jest's arguments (after a `--` or not).
const args = process.argv.slice(2);
const firstOther = args.findIndex((a) => !/^\d+$/.test(a));
const majors = firstOther === -1 ? args : args.slice(0, firstOther);
const rest = firstOther === -1 ? [] : args.slice(firstOther);
const jestArgs = rest[0] === '--' ? rest.slice(1) : rest;
if (majors.length === 0) {
  process.stderr.write('usage: npm run test:unit:node -- <major> [<major> …] [jest arguments]\n');
  process.exit(2);
}
// Installed one after another: each install runs npm, which is best not run twice at once.
const nodes = majors.map((major) => ({ major, node: installNode(major) }));
const jest = path.join(__dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js');

function run({ major, node }) {
  const started = Date.now();
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(node, [jest, '--ci', '--selectProjects', 'unit', ...jestArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Tools the tests start by name (tsx, the CLI) find this node first.
      env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` },
    });
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code, signal) => {
      const passed = code === 0;
      process.stdout.write(`\n[unit-on-node] ===== Node.js ${version} (${major}) =====\n`);
      process.stdout.write(Buffer.concat(chunks));
      process.stdout.write(`[unit-on-node] Node.js ${version}: unit suite ${passed ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} in ${Math.round((Date.now() - started) / 1000)} s\n`);
      resolve(passed);
    });
  });
}

Promise.all(nodes.map(run)).then((results) => process.exit(results.every(Boolean) ? 0 : 1));
