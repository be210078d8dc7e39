import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** The customer portal: its path carries the customer's access token. */
const PORTAL_PATH = /^\/c\//;

/**
 * Security headers on every response (SPA pages, the portal, /graphql, /healthz), by helmet.
 *
 * The Content-Security-Policy is what the built SPA needs and no more: its scripts and styles
 * come from this origin; Mantine injects its theme as <style> elements and React sets style
 * attributes, so styles (only styles) may be inline; fonts and icons may be data: URIs. Nothing
 * may frame the app (clickjacking), and it talks to no other origin.
 */
export function securityHeaders(options: { production: boolean }): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Behind TLS in production; a development server on http://localhost has no https twin.
        ...(options.production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // X-Frame-Options for browsers that predate frame-ancestors.
    frameguard: { action: 'deny' },
    // Same-origin requests keep their Referer (the SPA's own calls); other sites get none.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
  return (req, res, next) =>
    headers(req, res, (error?: unknown) => {
      if (PORTAL_PATH.test(req.path)) {
        // The token in /c/<token> must not leak to any link the page follows, nor be indexed.
        res.setHeader('Referrer-Policy', 'no-referrer');
        res.setHeader('X-Robots-Tag', 'noindex, nofollow');
      }
      next(error);
    });
}
