/**
 * The one logger (pino). JSON in production, pretty in development. Personal data never
 * reaches a log: the keys below are redacted wherever they appear, and code logs ids and
 * counts, not records.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

/** Field names that may carry personal data (names, ID numbers, dates of birth, passwords). */
export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'token',
  'authorization',
  'fullName',
  'name',
  'personalId',
  'idNumber',
  'dateOfBirth',
  'row',
  'record',
  'fields',
] as const;

const redactPaths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat(['req.headers.authorization', 'req.headers.cookie']);

/** A request's address without the values of its query: an official searching a name puts the name there (`?q=`). */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? url : `${url.slice(0, at)}?${url.slice(at + 1).replace(/=[^&]*/g, '=…')}`;
}

/**
 * Requests as Fastify logs them, but without query values; errors by type, code, message and
 * stack only: a database error's other fields (detail, where) quote the row that failed.
 */
const serializers = {
  req: (req: { method?: string; url?: unknown; ip?: string }) => ({ method: req.method, url: typeof req.url === 'string' ? loggedUrl(req.url) : undefined, remoteAddress: req.ip }),
  err: (e: unknown) => {
    if (!(e instanceof Error)) return e;
    const code = (e as { code?: unknown }).code;
    return { type: e.constructor.name, ...(code === undefined ? {} : { code }), message: e.message, stack: e.stack };
  },
};

export function createLogger(config: Pick<Config, 'env' | 'logLevel'>, bindings: Record<string, unknown> = {}, destination?: DestinationStream): Logger {
  const pretty = !destination && config.env === 'development' && process.stdout.isTTY;
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'hotich-flow', ...bindings },
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
