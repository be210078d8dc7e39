import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { openDataSource } from '../db/data-source';
import { Database } from '../db/database';
import { ManualClock } from '../clock';
import { createApp, type App } from './app';
import { allEntities, allMigrations } from '../../features';

/**
 * How the built SPA is served (issue 15): compressed, hashed assets cached for good, index.html
 * revalidated on every load. A stand-in build (a folder shaped like Vite's output) keeps the test
 * independent of building the SPA.
 */
describe('serving the SPA', () => {
  const webDist = mkdtempSync(path.join(tmpdir(), 'rbo-web-'));
  const script = `export const page = ${JSON.stringify('quotes '.repeat(2000))};\n`;
  let app: App;
  let db: Database;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    mkdirSync(path.join(webDist, 'assets'));
    writeFileSync(
      path.join(webDist, 'index.html'),
      `<!doctype html><html><head><link rel="icon" href="/favicon.svg" /></head><body><div id="root"></div>${'<!-- padding -->'.repeat(100)}</body></html>`,
    );
    writeFileSync(path.join(webDist, 'assets', 'QuotesPage-Dq3xY1zA.js'), script);
    writeFileSync(path.join(webDist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const { dataSource, kind } = await openDataSource({
      entities: allEntities,
      migrations: allMigrations,
    });
    db = new Database(dataSource, kind);
    app = await createApp({ db, clock: new ManualClock(new Date()), production: true, webDist });
    server = app.http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.stop();
    await db.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  /** A raw GET: fetch would ask for and undo the compression itself. */
  const get = (pathname: string, acceptEncoding?: string) =>
    new Promise<{
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: Buffer;
    }>((resolve, reject) => {
      const req = request(
        {
          port,
          path: pathname,
          headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('sends hashed assets with brotli when accepted, else gzip, cached for a year as immutable', async () => {
    const brotli = await get('/assets/QuotesPage-Dq3xY1zA.js', 'gzip, deflate, br');
    expect(brotli.status).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(brotli.body).toString()).toBe(script);
    expect(brotli.body.length).toBeLessThan(script.length / 10);

    const gzip = await get('/assets/QuotesPage-Dq3xY1zA.js', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(script);

    const plain = await get('/assets/QuotesPage-Dq3xY1zA.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('revalidates index.html on every load, for the root and for every SPA route', async () => {
    for (const route of ['/', '/quotes', '/c/portal-token']) {
      const page = await get(route, 'br');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(page.body).toString()).toContain('<div id="root">');
    }
    const favicon = await get('/favicon.svg');
    expect(favicon.status).toBe(200);
    expect(favicon.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing hashed asset with 404, not with the page', async () => {
    const missing = await get('/assets/QuotesPage-OLDHASH.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control'] ?? '').not.toMatch(/immutable/);
    expect(missing.body.toString()).not.toContain('<div id="root">');
  });

  it('does not compress API responses (they carry tokens next to echoed input)', async () => {
    const response = await new Promise<{ encoding: string | undefined }>((resolve, reject) => {
      const body = JSON.stringify({ query: `{ __typename ${' '.repeat(2000)}}` });
      const req = request(
        {
          port,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-encoding': 'br, gzip' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'] }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(response.encoding).toBeUndefined();
  });
});
