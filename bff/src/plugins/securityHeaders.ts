import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Security headers on every response (helmet: nosniff, frame and referrer policies, HSTS, …), a
 * Content-Security-Policy that fits what is answered, and `Cache-Control: no-store` on every signed-in API
 * answer (they carry personal data: no browser, WebView or proxy may keep a copy).
 */
const csp = (directives: Record<string, string>) =>
  Object.entries(directives)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

/** JSON never renders: nothing may load, nobody may frame it. */
const API_CSP = csp({ 'default-src': "'none'", 'frame-ancestors': "'none'" });

/** Swagger UI loads its own scripts and styles from /docs; it sets inline styles on elements. */
const DOCS_CSP = csp({
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data:",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
});

/**
 * Any other page this server answers is the H5 app (the demo launcher serves it on the same origin). Taro's
 * root font-size script is a data: URL in index.html; NutUI sets inline styles; photos preview as blob: URLs.
 */
const APP_CSP = csp({
  'default-src': "'self'",
  'script-src': "'self' data:",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self' data:",
  // Taro's H5 uploadFile reads the chosen photo back from its blob: URL.
  'connect-src': "'self' blob:",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
});

/**
 * The headers helmet sets, computed once. None of them depends on the request (CSP, the one that could, is
 * ours, below), so running helmet's middleware chain on every request (as @fastify/helmet does, building the
 * chain anew each time) only cost time: helmet stays the source of the values.
 */
function helmetHeaders(options: HelmetOptions): [string, string | string[]][] {
  const headers: [string, string | string[]][] = [];
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name.toLowerCase(), Array.isArray(value) ? [...value] : String(value)]);
      return res;
    },
    removeHeader() {}, // X-Powered-By: Fastify never sets it
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  if (headers.length === 0) throw new Error('helmet set no headers');
  return headers;
}

export default fp(
  async function securityHeaders(app: FastifyInstance) {
    const headers = helmetHeaders({
      // Set per kind of answer below; helmet has one policy for all.
      contentSecurityPolicy: false,
      frameguard: { action: 'deny' },
    });
    // On the raw response, as helmet does: an answer refused by a later hook (401, 429) carries them too.
    app.addHook('onRequest', (_req, reply, done) => {
      for (const [name, value] of headers) reply.raw.setHeader(name, value);
      done();
    });
    app.addHook('onSend', (req, reply, _payload, done) => {
      const path = req.url;
      if (path.startsWith('/api/')) {
        reply.header('content-security-policy', API_CSP);
        if (req.userId && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      } else if (path === '/docs' || path.startsWith('/docs/')) {
        reply.header('content-security-policy', DOCS_CSP);
      } else {
        reply.header('content-security-policy', APP_CSP);
      }
      done();
    });
  },
  { name: 'security-headers' },
);
