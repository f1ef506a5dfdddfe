/**
 * `readRowBatches` on a worker thread: the input is inflated, decoded and parsed on another
 * core while this thread uses the rows, so a consumer is held back only by its own work or by
 * the reader, whichever is slower, instead of by both added up. Rows cross over packed
 * (packed-rows.ts) in batches of a hundred, and the reader keeps at most a few thousand rows
 * ahead, so memory stays bounded whatever the input's size.
 */
import { once } from 'node:events';
import path from 'node:path';
import { raisedInThread, startSourceThread, type ThreadError } from '../threads/source-thread';
import { unpackRows, type PackedRows } from './packed-rows';
// Loaded for the error codes the thread may send back (declaredErrors knows those of loaded modules).
import './read-rows';
import type { SheetRow } from './read-rows';

/**
 * Rows per message. A batch's text arrives as one string, and the rows' cells are cut from it:
 * a small one dies young, while one of megabytes goes straight to the old generation and piles
 * up there as garbage until a full collection. Measured on the split of 1,000,000 rows: peak
 * RSS about 700 MB with batches of 2,000 rows, about 560 MB with 100, at the same speed.
 */
export const THREAD_BATCH_ROWS = 100;
/** Batches the reader may have posted and not yet had used. */
const THREAD_READ_AHEAD = 16;

export type ThreadMessage =
  | { kind: 'rows'; packed: PackedRows }
  | { kind: 'done' }
  | { kind: 'failed'; error: ThreadError };

export async function* readRowBatchesInThread(file: string): AsyncGenerator<SheetRow[]> {
  const worker = startSourceThread(path.join(__dirname, 'read-rows-thread-entry.ts'), { file, batchRows: THREAD_BATCH_ROWS, readAhead: THREAD_READ_AHEAD });
  const inbox: ThreadMessage[] = [];
  let crash: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: ThreadMessage) => {
    inbox.push(m);
    notify();
  });
  worker.on('error', (e) => {
    crash = e;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  let finished = false;
  try {
    for (;;) {
      const m = inbox.shift();
      if (!m) {
        if (crash) throw crash;
        if (exited) throw new Error('the row reader thread ended without finishing');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (m.kind === 'failed') throw raisedInThread(m.error);
      if (m.kind === 'done') {
        finished = true;
        return;
      }
      const rows = unpackRows(m.packed);
      worker.postMessage('more');
      yield rows;
    }
  } finally {
    // A consumer that stops early (an error, a cancelled activity) lets the reader close its
    // files and temporary folder before the thread ends.
    if (!exited) {
      if (!finished) worker.postMessage('stop');
      await once(worker, 'exit');
    }
  }
}
