#!/usr/bin/env node
/**
 * Builds the web page (web/: React and TypeScript) with Vite into dist/web, and copies beside it
 * the files pdf.js fetches while it reads a page (image decoders, standard fonts, CMaps, colour
 * profiles), so that the page asks nothing of any server but ours. `npm ci` runs it (through
 * setup-tools.js) and so does `npm run build:web`. A build records the source files it bundled
 * and their hash: the next run does nothing while none of them, the lock file, web/index.html
 * nor this script changed.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const WEB = path.join(ROOT, 'web');
const OUT = path.join(ROOT, 'dist', 'web');
const STAMP = path.join(OUT, '.build-stamp.json');
/** pdf.js fetches these by name from a folder URL; web/src/components/page-viewer/pdf-documents.ts sets /pdfjs/<folder>/. */
const PDFJS_FOLDERS = ['wasm', 'standard_fonts', 'cmaps', 'iccs'];
/** What every build depends on besides the modules it bundles. */
const ALWAYS = [path.join(WEB, 'index.html'), path.join(ROOT, 'package-lock.json'), __filename];

function hashFiles(files) {
  const h = crypto.createHash('sha256');
  for (const f of files) {
    h.update(`${path.relative(ROOT, f)}\0`);
    h.update(fs.existsSync(f) ? fs.readFileSync(f) : 'missing');
    h.update('\0');
  }
  return h.digest('hex');
}

/** Whether dist/web was built from the sources as they are now. */
function isWebBuildCurrent() {
  if (!fs.existsSync(path.join(OUT, 'index.html')) || !fs.existsSync(STAMP)) return false;
  const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  return stamp.hash === hashFiles([...ALWAYS, ...stamp.files.map((f) => path.join(ROOT, f))]);
}

/** Records the project's own modules the bundle holds (node_modules is covered by the lock file). */
function moduleList(into) {
  return {
    name: 'hotich-module-list',
    generateBundle() {
      for (const id of this.getModuleIds()) {
        const file = id.split('?')[0];
        if (path.isAbsolute(file) && file.startsWith(ROOT + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`) && fs.existsSync(file)) into.add(file);
      }
    },
  };
}

async function buildWeb({ force = false, log = (m) => process.stdout.write(`[build-web] ${m}\n`) } = {}) {
  // The Docker image runs `npm ci` before it copies the sources, and builds after.
  if (!fs.existsSync(path.join(WEB, 'src'))) return { built: false, reason: 'no web/src' };
  if (!force && isWebBuildCurrent()) return { built: false, reason: 'current' };
  const started = Date.now();
  const { build } = await import('vite');
  const modules = new Set();
  await build({
    configFile: false,
    root: WEB,
    base: '/',
    logLevel: 'warn',
    publicDir: false,
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
    plugins: [moduleList(modules)],
    build: {
      outDir: OUT,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      // pdf.js is one large module, loaded once and cached for the session.
      chunkSizeWarningLimit: 1500,
      rolldownOptions: {
        // React libraries mark modules "use client" for server rendering, which this page does not do.
        onLog(level, log, handler) {
          if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
        },
      },
    },
  });
  const pdfjs = path.dirname(require.resolve('pdfjs-dist/package.json'));
  for (const folder of PDFJS_FOLDERS) fs.cpSync(path.join(pdfjs, folder), path.join(OUT, 'pdfjs', folder), { recursive: true });
  const files = [...modules].map((f) => path.relative(ROOT, f)).sort();
  fs.writeFileSync(STAMP, JSON.stringify({ hash: hashFiles([...ALWAYS, ...files.map((f) => path.join(ROOT, f))]), files }, null, 1));
  log(`built dist/web from ${files.length} source files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { built: true };
}

module.exports = { buildWeb, isWebBuildCurrent, WEB_OUT: OUT };

if (require.main === module) {
  buildWeb({ force: process.argv.includes('--force') }).then(
    (r) => {
      if (!r.built) process.stdout.write(`[build-web] nothing to do (${r.reason})\n`);
    },
    (e) => {
      process.stderr.write(`[build-web] the web page did not build: ${e && e.stack ? e.stack : e}\n`);
      process.exit(1);
    },
  );
}
