import type { AdminIdentity } from './admin-identity.js';

/** A signed-in browser: who, until when, and the CSRF token its forms and scripts must send. */
export interface AdminSession extends AdminIdentity {
  /**
   * Expiry, seconds since the epoch: the session's lifetime (`sessionTtlSeconds`), and never
   * later than the credentials it was made from (a JWT's `exp`).
   */
  expires: number;
  /** Sent back in `x-csrf-token` or the `_csrf` form field of every state-changing request. */
  csrf: string;
}

/**
 * What the cookie holds: the session, and the credentials it was made from, so every request
 * asks the authorizer again (a revoked token, or a demoted user, stops working at once); `null`
 * in local-only mode, which has no authorizer.
 */
export interface SealedSession extends AdminSession {
  credential: string | null;
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
 * Sessions as encrypted cookie values (AES-256-GCM, whose tag also authenticates them), so any
 * number of server instances (edge isolates) share them without storage. Encrypted, not only
 * signed, because the value carries the bearer credentials the session was made from.
 */
export interface SessionCodec {
  seal(session: SealedSession): Promise<string>;
  /** The session, or `null` for a forged, damaged or expired value. */
  open(value: string, nowSeconds: number): Promise<SealedSession | null>;
}

const IV_BYTES = 12;

/** A {@link SessionCodec} keyed by `secret` (through SHA-256, so any secret of 32 characters or more makes a 256-bit key). */
export function createSessionCodec(secret: string): SessionCodec {
  const keyPromise = globalThis.crypto.subtle
    .digest('SHA-256', encoder.encode(`app-admin-session:${secret}`))
    .then((raw) => globalThis.crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']));
  return {
    async seal(session) {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plain = encoder.encode(JSON.stringify([session.id, session.role, session.expires, session.csrf, session.credential]));
      const sealed = new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await keyPromise, plain));
      return `${toBase64Url(iv)}.${toBase64Url(sealed)}`;
    },
    async open(value, nowSeconds) {
      const [ivText, sealedText, extra] = value.split('.');
      if (ivText === undefined || sealedText === undefined || extra !== undefined) return null;
      try {
        const iv = fromBase64Url(ivText);
        const sealed = fromBase64Url(sealedText);
        if (iv === null || iv.length !== IV_BYTES || sealed === null) return null;
        // Decryption fails on any change to the value: the tag is checked by WebCrypto itself.
        const plain = await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await keyPromise, sealed);
        const [id, role, expires, csrf, credential] = JSON.parse(new TextDecoder().decode(plain)) as unknown[];
        if (typeof id !== 'string' || (role !== 'admin' && role !== 'viewer') || typeof expires !== 'number' || typeof csrf !== 'string') return null;
        if (credential !== null && typeof credential !== 'string') return null;
        if (expires <= nowSeconds) return null;
        return { id, role, expires, csrf, credential };
      } catch {
        return null;
      }
    },
  };
}
