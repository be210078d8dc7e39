import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApi, type TestApi } from '../../test/harness';
import { createApp, type App } from './app';

describe('security headers', () => {
  let api: TestApi;
  let app: App;
  let server: Server;
  let url: string;
  let webDist: string;

  beforeAll(async () => {
    api = await startTestApi({ production: true });
    // A stand-in for the built SPA, so that `/` and `/c/<token>` are served as in production.
    webDist = mkdtempSync(path.join(tmpdir(), 'rbo-web-'));
    writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(webDist, 'app.js'), 'console.log(1)');
    app = await createApp({ db: api.db, clock: api.clock, production: true, webDist });
    server = await new Promise((resolve) => {
      const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.stop();
    await api.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  const directivesOf = (csp: string | null) =>
    new Map(
      (csp ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!, values]),
    );

  it.each(['/', '/quotes', '/c/some-portal-token', '/app.js', '/healthz', '/nowhere.png'])(
    'sends the headers on %s',
    async (pathname) => {
      const response = await fetch(`${url}${pathname}`);
      expect(response.status).toBeLessThan(500);
      const csp = directivesOf(response.headers.get('content-security-policy'));
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      // Mantine injects <style> elements: inline styles are allowed, inline scripts are not.
      expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
      expect(response.headers.get('x-powered-by')).toBeNull();
    },
  );

  it('keeps the admin pages from sending their address to other sites', async () => {
    const response = await fetch(`${url}/quotes`);
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('x-robots-tag')).toBeNull();
  });

  it('keeps the portal token out of Referer and out of search engines', async () => {
    const response = await fetch(`${url}/c/some-portal-token`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-robots-tag')).toMatch(/noindex/);
  });

  it('sends them on GraphQL answers too, errors included', async () => {
    for (const body of ['{"query":"{ __typename }"}', '{"query":"{ nope }"}', '{not json']) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBeLessThan(500);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    }
  });
});
