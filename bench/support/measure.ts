/** Small helpers for benchmarks: wall time and the process's peak resident memory. */
import fs from 'node:fs';

export function seconds(fromNs: bigint): number {
  return Number(process.hrtime.bigint() - fromNs) / 1e9;
}

/** Peak RSS of this process so far, in MB (resourceUsage reports kilobytes). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** The kernel's high-water mark of this process's resident memory, which `reset` starts again so it covers only the measured window. */
export const peak = {
  /** False where the kernel does not allow it: then `mb` is the process's peak so far. */
  reset: (): boolean => {
    try {
      fs.writeFileSync('/proc/self/clear_refs', '5');
      return true;
    } catch {
      return false;
    }
  },
  mb: (): number => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]) / 1024,
};

export function rssMb(): number {
  return process.memoryUsage.rss() / (1024 * 1024);
}

export function fmt(n: number, digits = 2): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
