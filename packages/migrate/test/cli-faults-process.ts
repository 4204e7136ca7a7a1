import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { bin, repoRoot } from './cli-process.js';

/** How a spawned CLI ended, with what it printed and how long it ran. */
export interface TimedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the spawn to the exit, in ms. */
  elapsedMs: number;
}

/** The bin, spawned and left running: send it signals, then await `exited`. */
export function startCli(args: readonly string[]): { child: ChildProcess; exited: Promise<TimedRun>; stdout(): string } {
  const { APP_MIGRATE_CONFIG: _ignored, ...inherited } = process.env;
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...inherited, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<TimedRun>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started }));
  });
  return { child, exited, stdout: () => stdout };
}

/** Ms since `since`. */
export const msSince = (since: number) => Date.now() - since;

/**
 * A TCP server on 127.0.0.1 that accepts every connection and never sends a byte: a database
 * server that hangs. `connections` counts the accepted ones; `waitForConnection()` resolves at the next.
 */
export async function startSilentServer(): Promise<{ port: number; connections(): number; waitForConnection(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let waiting: (() => void)[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    for (const resolve of waiting) resolve();
    waiting = [];
  });
  let accepted = 0;
  server.on('connection', () => accepted++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => accepted,
    waitForConnection: () => new Promise<void>((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Whether a server answers TCP on the host and port of `url` (the database tests run only then). */
export function listening(url: string, requireVariable: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise<boolean>((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), timeout: 3000 });
    const give = (available: boolean, reason?: string) => {
      socket.destroy();
      if (!available && process.env[requireVariable] === '1') return reject(new Error(`the fault tests need the server at ${url}: ${reason}`));
      if (!available) console.warn(`@app/migrate: skipping fault tests on ${url} (${reason}); ${requireVariable}=1 makes this a failure.`);
      resolve(available);
    };
    socket.once('connect', () => give(true));
    socket.once('timeout', () => give(false, 'connection timed out'));
    socket.once('error', (error) => give(false, error.message));
  });
}
