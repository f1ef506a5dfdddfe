/**
 * Writes the bad-input corpus out for a person to look at: `npm run bad-inputs -- --out <dir>`.
 * Each file under <dir>/files/<generator>/, each request as its bytes (<id>.http: the request
 * line, headers and body as sent, placeholders unfilled), the cell values in cells.json, and
 * index.json naming every input with its category.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildCorpus, countByCategory, allInputs, CATEGORIES } from './corpus';

/** An id as a relative path whose parts cannot climb out of the folder. */
const safePath = (id: string) => id.split('/').map((p) => p.replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_')).join(path.sep);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, seed: { type: 'string' } } });
  if (!values.out) throw new Error('usage: npm run bad-inputs -- --out <dir> [--seed <n>]');
  const out = path.resolve(values.out);
  const corpus = await buildCorpus(values.seed === undefined ? undefined : Number(values.seed));
  for (const f of corpus.files) {
    const dir = path.join(out, 'files', safePath(f.id));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, safePath(f.fileName.replace(/[\\/]/g, '_')) || 'unnamed'), f.bytes);
  }
  for (const r of corpus.requests) {
    const file = path.join(out, 'requests', `${safePath(r.id)}.http`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const head = [`${r.method} ${r.url} HTTP/1.1`, `X-Caller: ${r.as}`, ...Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(head), r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body)]));
  }
  fs.writeFileSync(path.join(out, 'cells.json'), JSON.stringify(corpus.cells, null, 1));
  const index = allInputs(corpus).map((i) => ({ id: i.id, kind: i.kind, category: i.category, what: CATEGORIES[i.category] }));
  fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify(index, null, 1));
  process.stdout.write(`${index.length} bad inputs written to ${out}\n${Object.entries(countByCategory(allInputs(corpus))).map(([c, n]) => `  ${c}: ${n}`).join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
