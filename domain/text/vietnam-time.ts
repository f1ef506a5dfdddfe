/**
 * An instant as people in Việt Nam read it, for texts written where no reader's time zone is
 * known (a workflow's notice, an error of the run): dd/mm/yyyy hh:mm in Vietnam's time, which is
 * UTC+7 all year (no daylight saving). Pure and deterministic, so workflows may use it.
 */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const two = (n: number) => String(n).padStart(2, '0');

/** `seconds`: hh:mm:ss, where the order of close events matters (an auditor's reading). */
export function vietnamTime(iso: string, opts: { seconds?: boolean } = {}): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const d = new Date(at + VIETNAM_OFFSET_MS);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${opts.seconds ? `:${two(d.getUTCSeconds())}` : ''}`;
}
