/**
 * The one way the page talks to the API: JSON requests, file bytes, downloads and uploads with
 * progress, all carrying the session's token. Every failure becomes an ApiError with the API's
 * stable code and Vietnamese message; a 401 ends the session. Client-side failures (no answer,
 * an answer that is not the API's) get codes of their own, which the catalogue words.
 */
import type { ErrorBody } from './api-types';
import { saveFile } from './save-file';
import { sessionStore } from './session';

/** Codes the page gives failures that never reached the API's error handler. */
export const CLIENT_ERROR_CODES = ['NETWORK_UNREACHABLE', 'BAD_RESPONSE'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    /** The API's Vietnamese message; empty for a client-side code. */
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = sessionStore.token();
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const error = typeof body?.code === 'string' ? new ApiError(response.status, body.code, body.message ?? '', body.details) : new ApiError(response.status, 'BAD_RESPONSE', '');
  if (response.status === 401 && sessionStore.token()) sessionStore.end({ code: error.code, message: error.message });
  return error;
}

async function send(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_UNREACHABLE', '');
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await send(path, { headers: headers({ accept: 'application/json' }), signal });
  return (await response.json()) as T;
}

export async function apiPost<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method: 'POST', signal, headers: headers(body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await send(path, init);
  return (await response.json()) as T;
}

/** A file's bytes (a scanned page): the API serves files only to a signed-in user in scope. */
export async function apiBytes(path: string, signal?: AbortSignal): Promise<ArrayBuffer> {
  return (await send(path, { headers: headers(), signal })).arrayBuffer();
}

/** The file name the API gives in Content-Disposition (RFC 6266 filename*), else `fallback`. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  return star ? decodeURIComponent(star[1]!) : fallback;
}

/** Downloads a file the API streams (an error workbook) under the name the API gives it. */
export async function apiDownload(path: string, fallbackName: string): Promise<string> {
  const response = await send(path, { headers: headers() });
  const name = fileNameOf(response, fallbackName);
  saveFile(await response.blob(), name);
  return name;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * A multipart upload with progress (fetch reports none for request bodies). The form's fields
 * must come before its file: the API reads them in order as the file streams in.
 */
export function apiUpload<T>(path: string, form: FormData, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [k, v] of Object.entries(headers({ accept: 'application/json' }))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : 0 });
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_UNREACHABLE', ''));
    xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
    xhr.onload = () => {
      const response = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' } });
      if (response.ok) response.json().then((v) => resolve(v as T), () => reject(new ApiError(xhr.status, 'BAD_RESPONSE', '')));
      else errorOf(response).then(reject, reject);
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
