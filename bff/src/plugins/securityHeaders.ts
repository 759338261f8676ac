import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers on every response (@fastify/helmet: nosniff, frame and referrer policies, HSTS, …), a
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

export default fp(
  async function securityHeaders(app: FastifyInstance) {
    await app.register(helmet, {
      global: true,
      // Set per kind of answer below; helmet has one policy for all.
      contentSecurityPolicy: false,
      frameguard: { action: 'deny' },
    });
    app.addHook('onSend', async (req, reply) => {
      const path = req.url;
      if (path.startsWith('/api/')) {
        reply.header('content-security-policy', API_CSP);
        if (req.userId && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      } else if (path === '/docs' || path.startsWith('/docs/')) {
        reply.header('content-security-policy', DOCS_CSP);
      } else {
        reply.header('content-security-policy', APP_CSP);
      }
    });
  },
  { name: 'security-headers' },
);
