import type { Config } from '../platform/config';
import { assertPortFree } from '../platform/ports';
import { buildApp, type AppDependencies } from './app';

export async function startApiServer(deps: AppDependencies): Promise<{ url: string; close(): Promise<void> }> {
  const { host, port } = deps.config.api;
  await assertPortFree(port, host, 'API_PORT', 'API');
  const app = await buildApp(deps);
  await app.listen({ host, port });
  return { url: apiUrl(deps.config), close: () => app.close() };
}

export function apiUrl(config: Config): string {
  return `http://${config.api.host}:${config.api.port}`;
}
