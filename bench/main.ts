/**
 * `npm run bench -- <name> [args…]` runs bench/<name>.ts: every file beside this one is a
 * benchmark exporting `run(args)`, found by its file name, so adding one needs no list.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Benchmark {
  run(args: string[]): Promise<void>;
}

function available(): string[] {
  return fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'main.ts' && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const names = available();
  if (!name || !names.includes(name)) {
    process.stderr.write(`${name ? `unknown benchmark "${name}". ` : ''}usage: npm run bench -- <name> [args]\nbenchmarks: ${names.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const bench = (await import(path.join(__dirname, name))) as Partial<Benchmark>;
  if (typeof bench.run !== 'function') throw new Error(`bench/${name}.ts does not export run(args)`);
  await bench.run(args);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
