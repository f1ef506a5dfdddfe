import cliProgress from 'cli-progress';

/**
 * A bar in a terminal; plain progress lines (every 10 %) when output is not a terminal. With
 * a total of 0 (not known in advance) it counts: one line rewritten in a terminal, a line per
 * 100,000 otherwise.
 */
export function createProgress(label: string): { update(done: number, total: number): void; stop(): void } {
  const counting = { last: 0 };
  const count = (done: number) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${label}: ${done.toLocaleString('vi-VN')} dòng`);
    else if (done - counting.last >= 100_000 || done === 0) {
      counting.last = done;
      process.stderr.write(`${label}: ${done} dòng\n`);
    }
  };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      update(done, total) {
        if (total <= 0) return count(done);
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
      stop: () => (started ? bar.stop() : process.stderr.write('\n')),
    };
  }
  let lastTenth = -1;
  return {
    update(done, total) {
      if (total <= 0) return count(done);
      const tenth = Math.floor((done / Math.max(total, 1)) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`${label}: ${done}/${total} (${tenth * 10}%)\n`);
      }
    },
    stop: () => undefined,
  };
}
