/**
 * Step 2 end to end: `hotich split`'s library on a generated province, against merely reading
 * the same input with the same parser in the same run (the floor). Targets on our 2-core
 * machine: ≥ 25,000 rows/s from .xlsx, ≥ 100,000 rows/s from .csv, peak RSS ≤ 700 MB.
 *
 *   npm run bench -- split [--records 1000000] [--format xlsx|csv] [--province 01]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { splitExport } from '../activities/split/split-export';
import { generateExport } from '../cli/gen/generate';
import { readRowBatches } from '../formats/tabular/read-rows';
import { StreamingZipWriter } from '../formats/zip/streaming-zip-writer';
import { fmt, peakRssMb, seconds } from './support/measure';

const TARGET = { xlsx: 25_000, csv: 100_000, rssMb: 700 } as const;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

export async function run(args: string[]): Promise<void> {
  const records = Number(option(args, 'records', '1000000'));
  const format = option(args, 'format', 'xlsx') as 'xlsx' | 'csv';
  const province = option(args, 'province', '01');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-split-'));
  try {
    let t = process.hrtime.bigint();
    const gen = await generateExport({ provinceCode: province, records, seed: 1, out: path.join(work, 'gen'), format });
    process.stdout.write(`input: ${records} generated rows as ${format} in ${fmt(seconds(t), 1)} s\n`);
    // CSV comes as one file per register type: the split takes them as one zip, like a package.
    const input = format === 'csv' ? await zipOf(gen.files.map((f) => path.join(work, 'gen', f)), path.join(work, 'export.zip')) : path.join(work, 'gen', gen.files[0]!);

    t = process.hrtime.bigint();
    // CPU of every thread of the process (the split's own, its reader and writer threads, zlib's pool).
    const cpuBefore = process.cpuUsage();
    const manifest = await splitExport({ provinceCode: province, input, outDir: path.join(work, 'out') });
    const splitSeconds = seconds(t);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const splitPeak = peakRssMb();

    t = process.hrtime.bigint();
    let read = 0;
    for await (const batch of readRowBatches(input)) for (const row of batch) if (row.cells.length) read++;
    const readSeconds = seconds(t);

    const rate = manifest.input.rows / splitSeconds;
    const floor = read / readSeconds;
    const target = TARGET[format];
    process.stdout.write(
      `split: ${manifest.input.rows} rows (${manifest.rowsWritten} to ${manifest.agencies.length} agencies, ${manifest.exceptionRows} exceptions) in ${fmt(splitSeconds, 1)} s = ${fmt(rate, 0)} rows/s, peak RSS ${fmt(splitPeak, 0)} MB\n` +
        `cpu: ${fmt(cpuSeconds, 1)} s over all threads = ${fmt((cpuSeconds * 1e6) / manifest.input.rows, 1)} µs per row; ${os.cpus().length} cores busy ${fmt((cpuSeconds / splitSeconds / os.cpus().length) * 100, 0)}% of the time\n` +
        `floor (reading the same input with the same parser): ${read} rows in ${fmt(readSeconds, 1)} s = ${fmt(floor, 0)} rows/s; split/floor = ${fmt(rate / floor, 2)}\n` +
        `target: ≥ ${target} rows/s, ≤ ${TARGET.rssMb} MB: ${rate >= target && splitPeak <= TARGET.rssMb ? 'met' : 'NOT MET'}\n`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Streamed, so the peak RSS the benchmark reports is the split's, not that of holding the whole export to zip it. */
async function zipOf(files: string[], zip: string): Promise<string> {
  const writer = new StreamingZipWriter(zip);
  for (const f of files) {
    writer.beginEntry(path.basename(f), { mtime: new Date(Date.UTC(2000, 0, 1)), level: 6 });
    for await (const chunk of fs.createReadStream(f)) {
      writer.write(chunk as Buffer);
      await writer.drain();
    }
  }
  await writer.close();
  return zip;
}
