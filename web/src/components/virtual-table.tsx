/**
 * A table of many rows of one height that keeps in the page only the rows in view (and a few
 * around them): 700 agencies scroll as smoothly as 20. It stays a real table for assistive
 * technology (aria-rowcount and aria-rowindex say where each row sits), its scrolling region is
 * reachable by keyboard, the header stays in view, and the columns have fixed widths so that
 * nothing jumps while rows come and go.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** CSS width of the column (table-layout is fixed). */
  width: string;
  /** 'num' aligns right with tabular figures. */
  className?: string;
  render(row: T): ReactNode;
  /** Text of the cell for its tooltip, when it may be cut. */
  title?(row: T): string;
}

interface Props<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey(row: T): string;
  /** Accessible name of the table and of its scrolling region. */
  label: string;
  rowHeight?: number;
  /** Height of the scrolling region, in px. */
  height: number;
  /** Rows kept beyond each edge of the view. */
  overscan?: number;
  /** A last row, outside the virtual ones (totals), whose <tr> carries aria-rowindex = rows + 2. */
  footer?: ReactNode;
  empty?: ReactNode;
}

export function VirtualTable<T>({ columns, rows, rowKey, label, rowHeight = 36, height, overscan = 6, footer, empty }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef(0);
  const onScroll = useCallback(() => {
    // One render per frame, however many scroll events the frame had.
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setScrollTop(scroller.current?.scrollTop ?? 0);
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  // Fewer rows (a filter) may leave the region scrolled past its end.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && el.scrollTop > Math.max(0, (rows.length + 1) * rowHeight - height)) {
      el.scrollTop = 0;
      setScrollTop(0);
    }
  }, [rows.length, rowHeight, height]);

  // The header row takes one row's height at the top of the region.
  const bodyHeight = height - rowHeight;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rows.length, Math.ceil((scrollTop + bodyHeight) / rowHeight) + overscan);
  const shown = rows.slice(first, last);

  return (
    <div ref={scroller} className="virtual-scroll" style={{ height }} onScroll={onScroll} tabIndex={0} role="region" aria-label={label}>
      <table className="virtual-table" aria-label={label} aria-rowcount={rows.length + (footer ? 2 : 1)}>
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1} style={{ height: rowHeight }}>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr aria-hidden="true" className="virtual-spacer">
              <td colSpan={columns.length} style={{ height: first * rowHeight }} />
            </tr>
          )}
          {shown.map((row, i) => (
            <tr key={rowKey(row)} aria-rowindex={first + i + 2} style={{ height: rowHeight }}>
              {columns.map((c) => (
                <td key={c.key} className={c.className} title={c.title?.(row)}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
          {last < rows.length && (
            <tr aria-hidden="true" className="virtual-spacer">
              <td colSpan={columns.length} style={{ height: (rows.length - last) * rowHeight }} />
            </tr>
          )}
          {rows.length === 0 && empty && (
            <tr>
              <td colSpan={columns.length} className="muted">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
        {footer && <tfoot>{footer}</tfoot>}
      </table>
    </div>
  );
}
