/**
 * A province generated for the province bench and the fault tests: the C06 package (an .xlsx)
 * and every record's scanned page, in one zip per registering unit, as a commune's scanning
 * contractor hands them over (`hotich gen` with zips per unit).
 *
 * A million records take minutes to generate and some 20 GB, so a folder can keep them for the
 * next run: its manifest (province.json) says what it holds (province, records, seed), which
 * generator made it (a hash of the generator's sources) and each file's size, and the package's
 * SHA-256. A folder with another province, seed, size or generator is refused, not overwritten;
 * so is one whose files changed since.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateExport } from '../../cli/gen/generate';

/** A zip of every scanned page of one unit's books, as an official of its custodian uploads them. */
export interface UnitScans {
  unitCode: string;
  file: string;
  pages: number;
}

export interface ProvinceFiles {
  provinceCode: string;
  records: number;
  seed: number;
  /** The package's name as delivered (`<province>-c06-<seed>.xlsx`). */
  packageName: string;
  packageFile: string;
  sha256: string;
  /** Every record scanned: one zip per registering unit. */
  scans: UnitScans[];
  pages: number;
}

export interface ProvinceOptions {
  provinceCode: string;
  records: number;
  seed: number;
}

interface Manifest {
  provinceCode: string;
  records: number;
  seed: number;
  generator: string;
  package: { name: string; file: string; bytes: number; sha256: string };
  scans: Array<{ unitCode: string; file: string; pages: number; bytes: number }>;
  pages: number;
}

const MANIFEST = 'province.json';
/** Present while a folder is being generated: what it holds is incomplete and may be replaced. */
const GENERATING = '.generating';
/** Where the generator starts; everything it imports from the project is the generator too. */
const GENERATOR_ROOTS = ['cli/gen/generate.ts', 'test/support/generated-province.ts'];
const PROJECT = path.resolve(__dirname, '../..');

/**
 * The generator's version: a SHA-256 over the project's source files it is made of, found by
 * following relative imports from its roots (data files such as the unit catalog included).
 */
export function generatorVersion(): string {
  const seen = new Set<string>();
  const pending = GENERATOR_ROOTS.map((r) => path.join(PROJECT, r));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts')) continue;
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)) {
      const base = path.resolve(path.dirname(file), m[1]!);
      const found = [`${base}.ts`, base, path.join(base, 'index.ts')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (!found) throw new Error(`generator version: ${m[1]} imported by ${path.relative(PROJECT, file)} not found`);
      pending.push(found);
    }
  }
  const hash = createHash('sha256');
  for (const file of [...seen].sort()) hash.update(`${path.relative(PROJECT, file)}\0`).update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function filesOf(dir: string, m: Manifest): ProvinceFiles {
  return {
    provinceCode: m.provinceCode,
    records: m.records,
    seed: m.seed,
    packageName: m.package.name,
    packageFile: path.join(dir, m.package.file),
    sha256: m.package.sha256,
    scans: m.scans.map((s) => ({ unitCode: s.unitCode, file: path.join(dir, s.file), pages: s.pages })),
    pages: m.pages,
  };
}

/** Generates the province into `dir` (emptied first), with its manifest. */
export async function writeProvince(dir: string, opts: ProvinceOptions, generator = generatorVersion()): Promise<ProvinceFiles> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, GENERATING), '');
  const summary = await generateExport({ ...opts, out: dir, format: 'xlsx', scannedRatio: 1, scanZips: 'unit' });
  const units = summary.scans.units!;
  const pages = units.reduce((n, u) => n + u.pages, 0);
  if (pages !== opts.records) throw new Error(`generated ${pages} pages for ${opts.records} records`);
  const packageFile = summary.files[0]!;
  const manifest: Manifest = {
    ...opts,
    generator,
    package: { name: `${opts.provinceCode}-c06-${opts.seed}.xlsx`, file: packageFile, bytes: fs.statSync(path.join(dir, packageFile)).size, sha256: await sha256Of(path.join(dir, packageFile)) },
    scans: units.map((u) => ({ unitCode: u.unitCode, file: u.zip, pages: u.pages, bytes: u.bytes })),
    pages,
  };
  fs.writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.rmSync(path.join(dir, GENERATING));
  return filesOf(dir, manifest);
}

/**
 * The province in `dir` when its manifest says it is this one, by this generator, and its files
 * are as generated; generated into it when the folder is empty, absent or left by a generation
 * that did not finish. Anything else is refused, naming what differs.
 */
export async function reuseOrWriteProvince(dir: string, opts: ProvinceOptions): Promise<{ files: ProvinceFiles; reused: boolean }> {
  const generator = generatorVersion();
  const manifestFile = path.join(dir, MANIFEST);
  if (!fs.existsSync(manifestFile)) {
    const held = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    if (held.length > 0 && !held.includes(GENERATING)) throw new Error(`${dir} holds files but no generated province (no ${MANIFEST}): give an empty or new folder`);
    return { files: await writeProvince(dir, opts, generator), reused: false };
  }
  const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const differs = [
    m.provinceCode !== opts.provinceCode && `province ${m.provinceCode}, not ${opts.provinceCode}`,
    m.records !== opts.records && `${m.records} records, not ${opts.records}`,
    m.seed !== opts.seed && `seed ${m.seed}, not ${opts.seed}`,
    m.generator !== generator && `generator ${m.generator.slice(0, 12)}, its sources changed since: now ${generator.slice(0, 12)}`,
  ].filter((d): d is string => typeof d === 'string');
  if (differs.length > 0) throw new Error(`${dir} holds another generated province (${differs.join('; ')}): give another folder, or empty this one to generate it again`);
  const changed = [
    ...[{ file: m.package.file, bytes: m.package.bytes }, ...m.scans].filter((f) => !fs.existsSync(path.join(dir, f.file)) || fs.statSync(path.join(dir, f.file)).size !== f.bytes).map((f) => f.file),
  ];
  if (changed.length === 0 && (await sha256Of(path.join(dir, m.package.file))) !== m.package.sha256) changed.push(m.package.file);
  if (changed.length > 0) throw new Error(`${dir}: ${changed.length} file(s) differ from the manifest since generated (${changed.slice(0, 3).join(', ')}): empty the folder to generate it again`);
  return { files: filesOf(dir, m), reused: true };
}
