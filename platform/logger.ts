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

export function createLogger(config: Pick<Config, 'env' | 'logLevel'>, bindings: Record<string, unknown> = {}, destination?: DestinationStream): Logger {
  const pretty = !destination && config.env === 'development' && process.stdout.isTTY;
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'hotich-flow', ...bindings },
    redact: { paths: redactPaths, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
