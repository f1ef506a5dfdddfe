import { isAppError } from '../domain/errors';

/**
 * Ends the process on an error with one clear line (Vietnamese, with its stable code) and a
 * non-zero exit; the stack trace only when DEBUG is set.
 */
export function reportFatal(e: unknown): never {
  if (isAppError(e)) {
    process.stderr.write(`Lỗi ${e.code}: ${e.messageVi}\n`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`Lỗi INTERNAL: Lỗi không mong đợi: ${message.split('\n')[0]}\n`);
  }
  if (process.env.DEBUG && e instanceof Error) process.stderr.write(`${e.stack ?? ''}\n`);
  process.exit(isAppError(e) && e.kind === 'validation' ? 2 : 1);
}
