/**
 * Why one item of an upload (a zip entry, a PDF) was not taken, with a stable code and the
 * Vietnamese sentence the official reads in the import's report. Not an AppError on purpose:
 * it never fails an import; the import lists it and goes on with the other items. Readers
 * raise it (or destroy their stream with it) so callers can tell it from a failure of the
 * whole file or of the machine.
 */
export class Rejection extends Error {
  override readonly name = 'Rejection';

  constructor(
    readonly code: string,
    readonly messageVi: string,
  ) {
    super(code);
  }
}

export function isRejection(e: unknown): e is Rejection {
  return e instanceof Rejection;
}
