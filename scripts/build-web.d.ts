/** Types of scripts/build-web.js for the TypeScript that calls it (the browser tests). */
export function buildWeb(opts?: { force?: boolean; log?: (message: string) => void }): Promise<{ built: boolean; reason?: string }>;
export function isWebBuildCurrent(): boolean;
export const WEB_OUT: string;
