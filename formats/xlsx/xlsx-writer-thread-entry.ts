/** The thread of xlsx-writer-thread.ts: writes what it is sent in order, and says when each batch is written. */
import { parentPort, workerData } from 'node:worker_threads';
import { threadErrorOf } from '../threads/source-thread';
import { createStreamingXlsxWriter } from './streaming-xlsx-writer';
import type { FromXlsxThread, ToXlsxThread } from './xlsx-writer-thread';

const { file, options } = workerData as { file: string; options: { rowsPerSheet?: number } };
const port = parentPort!;
const writer = createStreamingXlsxWriter(file, options);
const post = (m: FromXlsxThread) => port.postMessage(m);

async function handle(m: ToXlsxThread): Promise<void> {
  if (m.kind === 'close') {
    await writer.close();
    post({ kind: 'closed' });
    port.close();
    return;
  }
  for (const op of m.ops) {
    if ('sheet' in op) writer.addSheet(op.sheet, op.head);
    else writer.addRow(op);
  }
  await writer.drain();
  post({ kind: 'written' });
}

// Messages are handled one after another, each once the one before is written.
let queue = Promise.resolve();
let failed = false;
port.on('message', (m: ToXlsxThread) => {
  queue = queue.then(async () => {
    if (failed) return;
    try {
      await handle(m);
    } catch (e) {
      failed = true;
      post({ kind: 'failed', error: threadErrorOf(e) });
      port.close();
    }
  });
});
