import cliProgress from 'cli-progress';

/** A bar in a terminal; plain progress lines (every 10 %) when output is not a terminal. */
export function createProgress(label: string): { update(done: number, total: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      update(done, total) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
      stop: () => bar.stop(),
    };
  }
  let lastTenth = -1;
  return {
    update(done, total) {
      const tenth = Math.floor((done / Math.max(total, 1)) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`${label}: ${done}/${total} (${tenth * 10}%)\n`);
      }
    },
    stop: () => undefined,
  };
}
