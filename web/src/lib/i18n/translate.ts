/** What `t` is, apart from React: pure modules (CSV exports) take it, and their unit tests compile without JSX. */
import type { MessageKey } from './vi';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;
