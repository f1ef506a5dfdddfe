/** The reader thread of read-rows-thread.ts: reads the file, and posts its rows packed, a few batches ahead at most. */
import { parentPort, workerData } from 'node:worker_threads';
import { threadErrorOf } from '../threads/source-thread';
import { decodedText, transferables, type PackedRows } from './packed-rows';
import { readPackedRows } from './read-rows';
import type { ThreadMessage } from './read-rows-thread';

const { file, batchRows, readAhead } = workerData as { file: string; batchRows: number; readAhead: number };
const port = parentPort!;
let credit = readAhead;
let stopped = false;
let wake: (() => void) | undefined;
port.on('message', (m: 'more' | 'stop') => {
  if (m === 'more') credit++;
  else stopped = true;
  wake?.();
  wake = undefined;
});

const post = (m: ThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function send(rows: PackedRows): Promise<void> {
  while (credit === 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
  if (stopped) return;
  credit--;
  const packed = decodedText(rows);
  post({ kind: 'rows', packed }, transferables(packed));
}

async function main(): Promise<void> {
  for await (const rows of readPackedRows(file, batchRows)) {
    await send(rows);
    if (stopped) return;
  }
  if (!stopped) post({ kind: 'done' });
}

main()
  .catch((e: unknown) => post({ kind: 'failed', error: threadErrorOf(e) }))
  // Nothing else keeps the thread: once the reader is closed, it ends.
  .finally(() => port.close());
