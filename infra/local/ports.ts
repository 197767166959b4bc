import net from 'node:net';
import { LocalStackError } from './errors';

/** Resolves when `port` on 127.0.0.1 can be bound; otherwise a LocalStackError naming the part and the fix. */
export async function assertPortFree(port: number, part: string, envVar: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new LocalStackError(
              `端口 ${port} 已被占用 (${part}) / port ${port} is already in use (${part})`,
              `stop the other program (e.g. \`lsof -i :${port}\` or \`fuser ${port}/tcp\`) or choose another port: ${envVar}=<port> npm start`,
            )
          : err,
      );
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** A free TCP port on 127.0.0.1, for tests and for parts started with port 0. */
export async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
