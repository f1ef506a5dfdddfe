import { Connection } from '@temporalio/client';
import { defineError } from '../domain/errors';

export const TemporalUnreachable = defineError<{ address: string; reason: string }>(
  'TEMPORAL_UNREACHABLE',
  'unavailable',
  (p) => `cannot reach Temporal at ${p.address}: ${p.reason}; start the system (npm start) or check TEMPORAL_ADDRESS`,
  (p) => `Không kết nối được Temporal tại ${p.address} (${p.reason}). Hãy chạy "npm start" hoặc kiểm tra TEMPORAL_ADDRESS.`,
);

/** A client connection with one clear, coded error when the server is not there. */
export async function connectTemporal(address: string, timeoutMs = 5000): Promise<Connection> {
  try {
    return await Connection.connect({ address, connectTimeout: timeoutMs });
  } catch (e) {
    throw TemporalUnreachable({ address, reason: e instanceof Error ? e.message.split('\n')[0]! : String(e) }, { cause: e });
  }
}
