import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { InvalidOptionError } from '../errors.js';
import type { MigrationStore } from '../migration-store.js';
import { type CliIo, say, warn } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { loadOptional, openStore } from './open-store.js';
import { positiveIntegerOption } from './option-values.js';
import { replicationLagOption } from './replication-lag-option.js';
import { watchReplicas } from './watch-replicas.js';
import type { ThrottleOptions } from '../throttle.js';

/** Options of `app-migrate serve`, as parsed from the command line. */
export interface ServeCommandOptions {
  db?: string | undefined;
  config?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  'max-replication-lag'?: string[] | undefined;
}

/** The part of `@app/admin` the command uses (an optional peer, loaded at run time like the adapters). */
interface AdminModule {
  createAdminHandler(options: { store: MigrationStore; localOnly: { oneTimeToken: string }; title?: string; throttle?: ThrottleOptions }): (request: Request) => Promise<Response>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** A `node:http` request as a fetch `Request`. */
function toRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(incoming.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

async function send(response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  outgoing.writeHead(response.status, headers);
  outgoing.end(response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
}

/**
 * `app-migrate serve`: the admin dashboard (`@app/admin`) on this machine only. Local-only mode:
 * it binds a loopback address and prints a one-time sign-in link; anything else would need a
 * real authorizer, which is what mounting `createAdminHandler` in your own server is for.
 */
export async function serveCommand(options: ServeCommandOptions, io: CliIo): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    throw new InvalidOptionError(
      '--host',
      `${host}: serve is local-only (127.0.0.1, localhost or ::1). To expose the dashboard, mount createAdminHandler of @app/admin with an authorizer in your own server.`,
    );
  }
  const port = options.port === undefined ? 4000 : options.port === '0' ? 0 : positiveIntegerOption('--port', options.port)!;
  if (port > 65_535) throw new InvalidOptionError('--port', `must be at most 65535, got "${options.port}"`);
  const lagLimits = replicationLagOption(options['max-replication-lag']);
  const admin = await loadOptional<AdminModule>('@app/admin', 'app-migrate serve', 'npm install @app/admin');
  const opened = await openStore({ db: options.db, config: options.config }, io);
  // Refused before the server starts when the store cannot read its replicas.
  let throttle: ThrottleOptions | undefined;
  try {
    throttle = lagLimits === undefined ? undefined : await watchReplicas(lagLimits, opened, io, "the dashboard's Apply");
  } catch (error) {
    await opened.close();
    throw error;
  }
  const oneTimeToken = randomBytes(24).toString('base64url');
  // The dashboard runs migrations: a signal stops the server, and lets a batch in flight finish (2 s at most).
  const handler = admin.createAdminHandler({ store: opened.storeForRunners, localOnly: { oneTimeToken }, ...(throttle === undefined ? {} : { throttle }) });
  const shownHost = host === '::1' ? '[::1]' : host;
  const server = createServer((incoming, outgoing) => {
    const origin = `http://${incoming.headers.host ?? `${shownHost}`}`;
    handler(toRequest(incoming, origin))
      .then((response) => send(response, outgoing))
      .catch((error: unknown) => {
        warn(io, `app-migrate serve: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end('Internal error');
      });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const address = server.address() as AddressInfo;
    const base = `http://${shownHost}:${address.port}`;
    say(io, `Admin dashboard on ${opened.description}`);
    say(io, `Open ${base}/login?token=${oneTimeToken}`);
    say(io, 'The token signs one browser in, once. Only this machine can connect. Ctrl-C stops the server.');
    await new Promise<void>((resolve) => {
      if (io.signal === undefined) return;
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return EXIT_CODES.OK;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await opened.close();
  }
}
