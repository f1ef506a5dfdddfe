/**
 * Register pages drawn into canvases, kept for the few records around the one shown: the review
 * draws the next records' pages while the official compares the current one, so moving on only
 * swaps a canvas in. A drawing is kept by the page files, the page, the view and the width.
 */
import type { RecordDetail } from '../../lib/api-types';
import { pdfDocument } from './pdf-documents';

export type Rotation = 0 | 90 | 180 | 270;

export interface ViewState {
  /** 1 = the page's width fits the panel. */
  zoom: number;
  rotation: Rotation;
  /** Index into the record's pages, across its files. */
  page: number;
}

type PageFile = RecordDetail['pageFiles'][number];

export interface DrawnPage {
  canvas: HTMLCanvasElement;
  entryName: string;
  /** The record's pages, across its files. */
  count: number;
}

const KEEP = 10;
const drawn = new Map<string, Promise<DrawnPage>>();

/** The width of the page panel as last measured: pages drawn ahead are drawn for it. */
export const panel = { width: 0 };

/** Every page of a record: each file's pages in order (a file is usually one page). */
async function pagesOf(files: readonly PageFile[]) {
  const docs = await Promise.all(files.map((f) => pdfDocument(f.sha256, f.url)));
  return docs.flatMap((doc, i) => Array.from({ length: doc.numPages }, (_, p) => ({ doc, file: files[i]!, pageNumber: p + 1 })));
}

async function draw(files: readonly PageFile[], view: ViewState, width: number): Promise<DrawnPage> {
  const pages = await pagesOf(files);
  const target = pages[Math.min(view.page, pages.length - 1)]!;
  const page = await target.doc.getPage(target.pageNumber);
  const dpr = window.devicePixelRatio || 1;
  const natural = page.getViewport({ scale: 1, rotation: view.rotation });
  // The panel's padding (8 px each side) stays free around the page.
  const scale = ((width - 16) / natural.width) * view.zoom;
  const viewport = page.getViewport({ scale: scale * dpr, rotation: view.rotation });
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / dpr)}px`;
  canvas.style.height = `${Math.floor(viewport.height / dpr)}px`;
  await page.render({ canvas, viewport }).promise;
  return { canvas, entryName: target.file.entryName, count: pages.length };
}

/** A record's page drawn for a view and width: from the drawings kept, or drawn now and kept. */
export function drawPage(files: readonly PageFile[], view: ViewState, width: number): Promise<DrawnPage> {
  const key = `${files.map((f) => f.sha256).join()}|${view.page}|${view.zoom}|${view.rotation}|${width}|${window.devicePixelRatio}`;
  const known = drawn.get(key);
  if (known) {
    drawn.delete(key);
    drawn.set(key, known);
    return known;
  }
  const drawing = draw(files, view, width);
  drawn.set(key, drawing);
  drawing.catch(() => drawn.delete(key));
  while (drawn.size > KEEP) drawn.delete(drawn.keys().next().value!);
  return drawing;
}
