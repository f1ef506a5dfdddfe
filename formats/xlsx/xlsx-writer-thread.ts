/**
 * The streaming .xlsx writer (streaming-xlsx-writer.ts) on a worker thread: rows are handed
 * over in batches and encoded, deflated and written on another core, so a producer with work
 * of its own is not held back by the workbook's XML. The split is one: a third of a
 * province's rows can go to its exceptions workbook, and encoding them cost its thread more
 * than writing the rows it places. The file is byte for byte what the writer makes here.
 */
import path from 'node:path';
import { raisedInThread, startSourceThread, type ThreadError } from '../threads/source-thread';
import type { XlsxRow } from './streaming-xlsx-writer';

/** Rows per message: posting costs little per row, and the thread starts on them soon. */
const BATCH_ROWS = 250;
/** Batches posted and not yet written before `drain` waits. */
const AHEAD = 2;
/**
 * The thread's rows live from one message to the next, then are garbage: a small young
 * generation keeps its heap small (measured: 25 MB less resident at the same speed).
 */
const YOUNG_GENERATION_MB = 8;

/** A sheet to start (its name made valid and unique by the writer), or a row. */
export type XlsxOp = { sheet: string; head: readonly XlsxRow[] } | XlsxRow;

export type ToXlsxThread = { kind: 'ops'; ops: XlsxOp[] } | { kind: 'close' };
export type FromXlsxThread = { kind: 'written' } | { kind: 'closed' } | { kind: 'failed'; error: ThreadError };

export interface XlsxWriterThread {
  addSheet(name: string, head?: readonly XlsxRow[]): void;
  addRow(values: XlsxRow): void;
  /** Resolves when the thread is at most a few batches behind; call it regularly, as with the writer itself. */
  drain(): Promise<void>;
  close(): Promise<void>;
  /** Ends the thread without finishing the file, when the producer gives up. */
  destroy(): Promise<void>;
}

export function createXlsxWriterThread(file: string, options: { rowsPerSheet?: number } = {}): XlsxWriterThread {
  const worker = startSourceThread(path.join(__dirname, 'xlsx-writer-thread-entry.ts'), { file, options }, { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB });
  let ops: XlsxOp[] = [];
  let unwritten = 0;
  let closed = false;
  let exited = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: FromXlsxThread) => {
    if (m.kind === 'written') unwritten--;
    else if (m.kind === 'closed') closed = true;
    else failure ??= raisedInThread(m.error);
    notify();
  });
  worker.on('error', (e) => {
    failure ??= e;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });

  const post = (m: ToXlsxThread) => worker.postMessage(m);
  const flush = () => {
    if (ops.length === 0) return;
    post({ kind: 'ops', ops });
    ops = [];
    unwritten++;
  };
  const until = async (done: () => boolean) => {
    for (;;) {
      if (failure) throw failure;
      if (done()) return;
      if (exited) throw new Error('the xlsx writer thread ended without finishing');
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };

  return {
    addSheet(name, head = []) {
      ops.push({ sheet: name, head });
    },
    addRow(values) {
      ops.push(values);
      if (ops.length >= BATCH_ROWS) flush();
    },
    async drain() {
      flush();
      await until(() => unwritten <= AHEAD);
    },
    async close() {
      flush();
      post({ kind: 'close' });
      await until(() => closed);
    },
    async destroy() {
      if (!exited) await worker.terminate();
    },
  };
}
