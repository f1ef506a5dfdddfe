/**
 * Scanned pages as pdf.js documents, fetched with the session's token and kept by SHA-256 (a
 * page's file never changes under its hash), the most recent few only. pdf.js and its worker are
 * loaded the first time a page is shown, from our server; its decoders, fonts and colour
 * profiles too (/pdfjs/, copied there by scripts/build-web.js).
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { apiBytes } from '../../lib/api-client';

const KEEP = 12;
const documents = new Map<string, Promise<PDFDocumentProxy>>();

let pdfjs: Promise<typeof import('pdfjs-dist')> | undefined;
function loadPdfjs() {
  pdfjs ??= import('pdfjs-dist').then((lib) => {
    lib.GlobalWorkerOptions.workerSrc = workerUrl;
    return lib;
  });
  return pdfjs;
}

async function open(url: string): Promise<PDFDocumentProxy> {
  const [lib, data] = await Promise.all([loadPdfjs(), apiBytes(url)]);
  return lib.getDocument({
    data: new Uint8Array(data),
    wasmUrl: '/pdfjs/wasm/',
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    cMapUrl: '/pdfjs/cmaps/',
    cMapPacked: true,
    iccUrl: '/pdfjs/iccs/',
  }).promise;
}

/** The document of a page file, from the cache or fetched now; a failed fetch is not kept. */
export function pdfDocument(sha256: string, url: string): Promise<PDFDocumentProxy> {
  const known = documents.get(sha256);
  if (known) {
    documents.delete(sha256);
    documents.set(sha256, known);
    return known;
  }
  const loading = open(url);
  documents.set(sha256, loading);
  loading.catch(() => documents.delete(sha256));
  while (documents.size > KEEP) {
    const [oldest, doc] = documents.entries().next().value as [string, Promise<PDFDocumentProxy>];
    documents.delete(oldest);
    void doc.then((d) => d.loadingTask.destroy(), () => undefined);
  }
  return loading;
}
