import { isAppError } from '../../domain/errors';

/** The code of the error some work fails with; a test that expected a coded error fails otherwise. */
export async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a coded error');
}
