import { InterceptingCall, Metadata, status, type Interceptor } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions, type ConnectionPlugin } from '@temporalio/client';
import { defineError } from '../domain/errors';

export const TemporalUnreachable = defineError<{ address: string; reason: string }>(
  'TEMPORAL_UNREACHABLE',
  'unavailable',
  (p) => `cannot reach Temporal at ${p.address}: ${p.reason}; start the system (npm start) or check TEMPORAL_ADDRESS`,
  (p) => `Không kết nối được Temporal tại ${p.address} (${p.reason}). Hãy chạy "npm start" hoặc kiểm tra TEMPORAL_ADDRESS.`,
);

/**
 * The SDK retries a failed call on a timer that closing the connection does not clear; when that
 * timer fires on the closed channel, grpc-js throws from it, an uncaught exception that ends the
 * process (a CLI command stopped mid-wait, the API shutting down, a test file's end). Below the
 * retries, a call asked of a closed channel ends at once as CANCELLED instead, which they give up on.
 */
const closedChannelEndsCall: Interceptor = (options, nextCall) => {
  try {
    return new InterceptingCall(nextCall(options));
  } catch (e) {
    if (!(e instanceof Error) || e.message !== 'Channel has been shut down') throw e;
    return new InterceptingCall(endedCall());
  }
};

/**
 * A call that ends as soon as it starts, CANCELLED: what a closed channel gives instead of a throw.
 * As grpc-js's own unary calls do, it hears "no message" before the status (the SDK's retries
 * pass the message on when they give up, and expect to have heard one).
 */
function endedCall(): ConstructorParameters<typeof InterceptingCall>[0] {
  return {
    start: (_metadata, listener) =>
      void setImmediate(() => {
        listener?.onReceiveMessage?.(null);
        listener?.onReceiveStatus?.({ code: status.CANCELLED, details: 'the connection to Temporal was closed', metadata: new Metadata() });
      }),
    cancelWithStatus: () => undefined,
    getPeer: () => '',
    sendMessageWithContext: () => undefined,
    sendMessage: () => undefined,
    startRead: () => undefined,
    halfClose: () => undefined,
    getAuthContext: () => null,
  };
}

/** The SDK's retries, then the guard above: every client connection of the project is made with these. */
export const temporalConnectionInterceptors = (): Interceptor[] => [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), closedChannelEndsCall];

/** For connections the project does not make itself (the SDK's test environments). */
export const closedChannelGuardPlugin: ConnectionPlugin = {
  name: 'closed-channel-guard',
  configureConnection: (options: ConnectionOptions) => ({ ...options, interceptors: temporalConnectionInterceptors() }),
};

/** A client connection with one clear, coded error when the server is not there. */
export async function connectTemporal(address: string, timeoutMs = 5000): Promise<Connection> {
  try {
    return await Connection.connect({ address, connectTimeout: timeoutMs, interceptors: temporalConnectionInterceptors() });
  } catch (e) {
    throw TemporalUnreachable({ address, reason: e instanceof Error ? e.message.split('\n')[0]! : String(e) }, { cause: e });
  }
}
