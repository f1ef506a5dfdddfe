/**
 * A connection closed while the SDK waits to retry a failed call: the retry finds the channel
 * closed. Without the guard grpc-js throws from the retry's timer, an uncaught exception that
 * ends the process; with it the call ends CANCELLED and its caller hears so.
 */
import net from 'node:net';
import { Connection } from '@temporalio/client';
import { temporalConnectionInterceptors } from './temporal-connection';

/** A loopback port nothing listens on: every call fails UNAVAILABLE at once, and is retried. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a call being retried when its connection closes ends with an error, not an uncaught exception', async () => {
  const uncaught: unknown[] = [];
  const hear = (e: unknown) => void uncaught.push(e);
  process.on('uncaughtException', hear);
  try {
    const connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}`, interceptors: temporalConnectionInterceptors() });
    const call = connection.workflowService.getSystemInfo({}).then(
      () => 'answered',
      (e: { code?: number }) => e.code,
    );
    // Retries come 100 ms apart and more: most of the time one waits on its timer.
    await new Promise((resolve) => setTimeout(resolve, 350));
    await connection.close();
    // grpc's CANCELLED (1), or UNAVAILABLE (14) from the last attempt before the close.
    expect([1, 14]).toContain(await call);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(uncaught).toEqual([]);
  } finally {
    process.off('uncaughtException', hear);
  }
}, 15_000);

test('a call asked of a connection already closed ends with an error, not an uncaught exception', async () => {
  const uncaught: unknown[] = [];
  const hear = (e: unknown) => void uncaught.push(e);
  process.on('uncaughtException', hear);
  try {
    const connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}`, interceptors: temporalConnectionInterceptors() });
    await connection.close();
    const code = await connection.workflowService.getSystemInfo({}).then(
      () => 'answered',
      (e: { code?: number }) => e.code,
    );
    expect(code).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(uncaught).toEqual([]);
  } finally {
    process.off('uncaughtException', hear);
  }
}, 15_000);
