import { readXlsxRows } from './formats/xlsx/streaming-xlsx-reader';
(async () => {
  const t = Date.now(); let n = 0; let sample: unknown;
  for await (const r of readXlsxRows(process.argv[2]!)) { n++; if (n === 500000) sample = r; }
  const s = (Date.now() - t) / 1000;
  console.log(n, 'rows', s, 's', Math.round(n / s), 'rows/s', 'peak MB', Math.round(process.resourceUsage().maxRSS / 1024), JSON.stringify(sample).slice(0, 300));
})();
