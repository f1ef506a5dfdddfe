import net from 'node:net';
import { defineError } from '../domain/errors';

export const PortInUse = defineError<{ port: number; host: string; variable: string; what: string }>(
  'CONFIG_PORT_IN_USE',
  'config',
  (p) => `port ${p.port} on ${p.host} (${p.what}) is already in use; set ${p.variable} to another port`,
  (p) => `Cổng ${p.port} trên ${p.host} (${p.what}) đang được chương trình khác dùng; đặt ${p.variable} sang cổng khác.`,
);

/** Resolves when nothing listens on host:port; rejects with PortInUse otherwise. */
export async function assertPortFree(port: number, host: string, variable: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? PortInUse({ port, host, variable, what }) : err);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A free port chosen by the OS, for tests. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
