/**
 * The one error hierarchy of hotich-flow. Every error a user can cause carries a stable
 * code (for support, logs and tests) and a Vietnamese message (for the user); the English
 * `message` is for developers and logs. Codes are declared beside the code that raises them
 * with `defineError`, so the catalog is assembled by registration rather than kept by hand.
 */

export type ErrorKind =
  | 'validation' // the user's input is wrong (HTTP 400)
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409: state does not allow it
  | 'too_large' // 413: a body or upload past its limit
  | 'rate_limited' // 429: too many attempts; try again later
  | 'config' // the operator's configuration is wrong: one line, exit non-zero
  | 'integrity' // an invariant broke (row conservation, checksum): stop, keep everything
  | 'unavailable' // a dependency is down (503)
  | 'internal';

export const HTTP_STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  config: 500,
  integrity: 422,
  unavailable: 503,
  internal: 500,
};

export interface ErrorDefinition<P extends object> {
  readonly code: string;
  readonly kind: ErrorKind;
  /** English, for logs: must never interpolate personal data. */
  readonly english: (params: P) => string;
  /** Vietnamese, for users. */
  readonly vietnamese: (params: P) => string;
  (params: P, options?: { cause?: unknown }): AppError<P>;
}

export class AppError<P extends object = Record<string, unknown>> extends Error {
  override readonly name = 'AppError';
  readonly code: string;
  readonly kind: ErrorKind;
  readonly messageVi: string;
  readonly params: P;

  constructor(def: Pick<ErrorDefinition<P>, 'code' | 'kind' | 'english' | 'vietnamese'>, params: P, options?: { cause?: unknown }) {
    super(def.english(params), options);
    this.code = def.code;
    this.kind = def.kind;
    this.params = params;
    this.messageVi = def.vietnamese(params).normalize('NFC');
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.kind];
  }

  toJSON(): { code: string; message: string; messageVi: string; params: P } {
    return { code: this.code, message: this.message, messageVi: this.messageVi, params: this.params };
  }
}

const registry = new Map<string, ErrorDefinition<object>>();

/** Declares an error code once; a second declaration of the same code is a programming error. */
export function defineError<P extends object = Record<string, never>>(
  code: string,
  kind: ErrorKind,
  english: (params: P) => string,
  vietnamese: (params: P) => string,
): ErrorDefinition<P> {
  if (!/^[A-Z][A-Z0-9_]+$/.test(code)) throw new Error(`error code ${code} must be UPPER_SNAKE_CASE`);
  if (registry.has(code)) throw new Error(`error code ${code} is defined twice`);
  const make = ((params: P, options?: { cause?: unknown }) => new AppError<P>(def, params, options)) as ErrorDefinition<P>;
  const def = Object.assign(make, { code, kind, english, vietnamese }) as ErrorDefinition<P>;
  Object.defineProperty(def, 'code', { value: code });
  registry.set(code, def as unknown as ErrorDefinition<object>);
  return def;
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** All codes declared by modules loaded so far (for the API's error catalog and tests). */
export function declaredErrors(): ReadonlyArray<ErrorDefinition<object>> {
  return [...registry.values()];
}
