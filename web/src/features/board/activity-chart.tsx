/**
 * Records approved and records transferred per day, as pairs of bars, drawn in SVG by the page
 * itself. The picture has a text equivalent (the totals and the busiest day) and the numbers of
 * every day in a table beneath it; the two series differ by pattern as well as by colour.
 */
import type { DayCounts } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';

const W = 1000;
const H = 130;
const PAD = { left: 44, right: 8, top: 10, bottom: 24 };

/** 1, 2 or 5 times a power of ten, at or above `v`: gridlines people read at a glance. */
function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((c) => c >= v)!;
}

/** yyyy-mm-dd as dd/mm (the year is in the caption) and as dd/mm/yyyy. */
const ddmm = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
const ddmmyyyy = (day: string) => `${ddmm(day)}/${day.slice(0, 4)}`;

export function ActivityChart({ days }: { days: readonly DayCounts[] }) {
  const { t, n } = useI18n();
  const top = niceCeiling(Math.max(0, ...days.map((d) => Math.max(d.approved, d.transferred))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const bar = Math.max(1, (slot - 2) / 2);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const approved = days.reduce((s, d) => s + d.approved, 0);
  const transferred = days.reduce((s, d) => s + d.transferred, 0);
  const busiest = days.reduce<DayCounts | undefined>((b, d) => (!b || d.approved > b.approved ? d : b), undefined);
  const summary =
    days.length === 0
      ? ''
      : t('chart.summary', { days: days.length, from: ddmmyyyy(days[0]!.day), to: ddmmyyyy(days.at(-1)!.day), approved, transferred }) +
        (busiest && busiest.approved > 0 ? ` ${t('chart.busiest', { day: ddmmyyyy(busiest.day), approved: busiest.approved })}` : '');

  return (
    <figure className="chart" aria-labelledby="chart-title">
      <div className="chart-head">
        <figcaption id="chart-title">{t('chart.title', { days: days.length })}</figcaption>
        <p className="chart-legend" aria-hidden="true">
          <span className="legend-approved">{t('chart.approved')}</span>
          <span className="legend-transferred">{t('chart.transferred')}</span>
        </p>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="chart-svg">
        <defs>
          <pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="4" height="4" fill="#15803d" />
            <line x1="0" y1="0" x2="0" y2="4" stroke="#ffffff" strokeWidth="1.2" />
          </pattern>
        </defs>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} className="grid" />
            <text x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end" className="axis">
              {n(top * f)}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const x = PAD.left + i * slot + 1;
          return (
            <g key={d.day}>
              <rect x={x} y={y(d.approved)} width={bar} height={Math.max(0, y(0) - y(d.approved))} className="bar-approved" />
              <rect x={x + bar} y={y(d.transferred)} width={bar} height={Math.max(0, y(0) - y(d.transferred))} fill="url(#hatch)" />
              {(i % 5 === 0 || i === days.length - 1) && (
                <text x={x + bar} y={H - 6} textAnchor="middle" className="axis">
                  {ddmm(d.day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <details>
        <summary>{t('chart.table')}</summary>
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">{t('chart.day')}</th>
              <th scope="col" className="num">
                {t('chart.approved')}
              </th>
              <th scope="col" className="num">
                {t('chart.transferred')}
              </th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td>{ddmmyyyy(d.day)}</td>
                <td className="num">{n(d.approved)}</td>
                <td className="num">{n(d.transferred)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
