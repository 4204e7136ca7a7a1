import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A handler served over real HTTP on 127.0.0.1, for the browser tests. */
export interface ServedHandler {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

async function toRequest(message: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  const body = message.method === 'GET' || message.method === 'HEAD' ? undefined : Buffer.concat(chunks);
  return new Request(new URL(message.url ?? '/', origin), { method: message.method, headers, body });
}

async function send(response: Response, reply: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  reply.writeHead(response.status, headers);
  reply.end(Buffer.from(await response.arrayBuffer()));
}

/** Serves `handler()` (looked up on every request, so a test can swap it) on a free port of 127.0.0.1. */
export async function serveHandler(handler: () => (request: Request) => Promise<Response>): Promise<ServedHandler> {
  let origin = '';
  const server = createServer((message, reply) => {
    toRequest(message, origin)
      .then((request) => handler()(request))
      .then((response) => send(response, reply))
      .catch((error: unknown) => {
        reply.writeHead(500, { 'content-type': 'text/plain' });
        reply.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
