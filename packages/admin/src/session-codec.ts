import type { AdminIdentity } from './admin-identity.js';

/** A signed-in browser: who, until when, and the CSRF token its forms and scripts must send. */
export interface AdminSession extends AdminIdentity {
  /** Expiry, seconds since the epoch. */
  expires: number;
  /** Sent back in `x-csrf-token` or the `_csrf` form field of every state-changing request. */
  csrf: string;
}

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[\w-]*$/.test(text)) return null;
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** A random value, base64url, from `bytes` random bytes. */
export function randomToken(bytes = 32): string {
  return toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * Sessions as signed cookie values (HMAC-SHA-256), so any number of server instances (edge
 * isolates) share them without storage. The signature is checked by WebCrypto's own verify,
 * which compares in constant time.
 */
export interface SessionCodec {
  seal(session: AdminSession): Promise<string>;
  /** The session, or `null` for a forged, damaged or expired value. */
  open(value: string, nowSeconds: number): Promise<AdminSession | null>;
}

/** A {@link SessionCodec} keyed by `secret`. */
export function createSessionCodec(secret: string): SessionCodec {
  const keyPromise = globalThis.crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return {
    async seal(session) {
      const body = toBase64Url(encoder.encode(JSON.stringify([session.id, session.role, session.expires, session.csrf])));
      const signature = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', await keyPromise, encoder.encode(body)));
      return `${body}.${toBase64Url(signature)}`;
    },
    async open(value, nowSeconds) {
      const [body, signatureText, extra] = value.split('.');
      if (body === undefined || signatureText === undefined || extra !== undefined) return null;
      try {
        const signature = fromBase64Url(signatureText);
        if (signature === null || !(await globalThis.crypto.subtle.verify('HMAC', await keyPromise, signature, encoder.encode(body)))) return null;
        const decoded = fromBase64Url(body);
        if (decoded === null) return null;
        const [id, role, expires, csrf] = JSON.parse(new TextDecoder().decode(decoded)) as unknown[];
        if (typeof id !== 'string' || (role !== 'admin' && role !== 'viewer') || typeof expires !== 'number' || typeof csrf !== 'string') return null;
        if (expires <= nowSeconds) return null;
        return { id, role, expires, csrf };
      } catch {
        return null;
      }
    },
  };
}
