/**
 * The scanned register page(s) of a record, drawn by pdf.js: fit to the panel's width, zoom,
 * rotate, drag to pan, turn the pages of the record. The canvas shown is replaced only once the
 * next one is drawn (usually drawn ahead, page-canvas.ts), so moving between records never
 * flashes an empty panel; `onShown` says when a record's page is on screen (the review measures
 * how long moving on takes).
 */
import { useEffect, useLayoutEffect, useRef, useState, type PointerEvent } from 'react';
import type { RecordDetail } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { ErrorMessage } from '../error-message';
import { drawPage, panel, type Rotation, type ViewState } from './page-canvas';

export type { Rotation, ViewState };

export const FIT_WIDTH: ViewState = { zoom: 1, rotation: 0, page: 0 };
export const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4] as const;

export const zoomIn = (z: number) => ZOOM_STEPS.find((s) => s > z + 1e-9) ?? z;
export const zoomOut = (z: number) => [...ZOOM_STEPS].reverse().find((s) => s < z - 1e-9) ?? z;
export const rotate = (r: Rotation): Rotation => ((r + 90) % 360) as Rotation;

type PageFile = RecordDetail['pageFiles'][number];

export function PageViewer(props: { recordId: number; files: readonly PageFile[]; view: ViewState; onView(v: ViewState): void; onShown(recordId: number): void }) {
  const { t } = useI18n();
  const { recordId, files, view, onView, onShown } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const holder = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState<{ recordId: number; entryName: string } | null>(null);
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current!;
    const measure = () => {
      panel.width = el.clientWidth;
      setWidth(el.clientWidth);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    return () => observer.disconnect();
  }, []);

  const filesKey = files.map((f) => f.sha256).join();
  useEffect(() => {
    if (width === 0 || files.length === 0) return;
    let cancelled = false;
    setError(null);
    drawPage(files, view, width).then(
      (d) => {
        if (cancelled) return;
        holder.current!.replaceChildren(d.canvas);
        setCount(d.count);
        setShown({ recordId, entryName: d.entryName });
        onShown(recordId);
      },
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
    // filesKey stands for files: the same pages in a new array draw nothing new.
  }, [recordId, filesKey, width, view.zoom, view.rotation, view.page]);

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    const el = scroller.current!;
    drag.current = { x: e.clientX, y: e.clientY, left: el.scrollLeft, top: el.scrollTop };
    el.setPointerCapture(e.pointerId);
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    const d = drag.current;
    if (!d) return;
    scroller.current!.scrollLeft = d.left - (e.clientX - d.x);
    scroller.current!.scrollTop = d.top - (e.clientY - d.y);
  }
  const stopDrag = () => (drag.current = null);

  const current = shown?.recordId === recordId;
  return (
    <div className="page-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <button type="button" onClick={() => onView({ ...view, page: Math.max(0, view.page - 1) })} disabled={view.page === 0} aria-keyshortcuts="[">
          {t('viewer.previousPage')}
        </button>
        <span aria-live="polite">{t('viewer.pageOf', { page: Math.min(view.page + 1, Math.max(count, 1)), count: Math.max(count, 1) })}</span>
        <button type="button" onClick={() => onView({ ...view, page: Math.min(count - 1, view.page + 1) })} disabled={view.page >= count - 1} aria-keyshortcuts="]">
          {t('viewer.nextPage')}
        </button>
        <button type="button" onClick={() => onView({ ...view, zoom: zoomOut(view.zoom) })} aria-label={t('viewer.zoomOut')} aria-keyshortcuts="-">
          −
        </button>
        <span>{Math.round(view.zoom * 100)}%</span>
        <button type="button" onClick={() => onView({ ...view, zoom: zoomIn(view.zoom) })} aria-label={t('viewer.zoomIn')} aria-keyshortcuts="+">
          +
        </button>
        <button type="button" onClick={() => onView({ ...view, zoom: 1 })} aria-keyshortcuts="0">
          {t('viewer.fitWidth')}
        </button>
        <button type="button" onClick={() => onView({ ...view, rotation: rotate(view.rotation) })} aria-keyshortcuts="O">
          {t('viewer.rotate')}
        </button>
      </div>
      {error !== null && <ErrorMessage error={error} />}
      <div
        ref={scroller}
        className="viewer-canvas"
        tabIndex={0}
        role="region"
        aria-label={shown ? t('viewer.region', { entry: shown.entryName }) : t('viewer.loading')}
        data-shown-record={current ? recordId : undefined}
        aria-busy={!current}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={stopDrag}
        onPointerCancel={stopDrag}
      >
        <div ref={holder} className="viewer-page" />
      </div>
    </div>
  );
}
