import { areaOfUrl, type CpuProfile, summarizeProfile } from './cpu-profile';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url },
  children,
});

/**
 * (root) ─┬─ (idle)
 *         ├─ (garbage collector)
 *         ├─ execute graphql ── resolve (API) ─┬─ formatMoney (domain)
 *         │                                    └─ query pg ── uncork node:stream ── writev (native)
 *         └─ connectionCorkNT node:_http_outgoing ── writev (native)
 */
const PROFILE: CpuProfile = {
  nodes: [
    frame(1, '(root)', '', [2, 3, 4, 8]),
    frame(2, '(idle)', ''),
    frame(3, '(garbage collector)', ''),
    frame(4, 'execute', 'file:///app/node_modules/graphql/execution/execute.js', [5]),
    frame(5, 'resolve', 'file:///app/apps/api/dist/quotes/quote.service.js', [6, 9]),
    frame(6, 'formatMoney', 'file:///app/node_modules/@refunds/domain/dist/money/money.js'),
    frame(8, 'connectionCorkNT', 'node:_http_outgoing', [11]),
    frame(9, 'query', 'file:///app/node_modules/.pnpm/pg@8/node_modules/pg/lib/client.js', [10]),
    frame(10, 'uncork', 'node:internal/streams/writable', [12]),
    frame(11, 'writev', ''),
    frame(12, 'writev', ''),
  ],
  // One sample per entry; each delta is the time since the previous sample (µs).
  samples: [2, 2, 3, 4, 5, 6, 6, 9, 12, 12, 11, 2],
  timeDeltas: [100, 100, 50, 20, 30, 40, 40, 10, 200, 200, 300, 100],
};

describe('summarizeProfile', () => {
  it('sums self time by area, without idle, and names native frames by their caller', () => {
    const summary = summarizeProfile(PROFILE);
    expect(summary.busyMs).toBeCloseTo(0.89, 6);
    expect(Object.fromEntries(summary.areas.map((row) => [row.area, row.ms]))).toEqual({
      'Node HTTP and sockets': 0.7,
      'domain rules': 0.08,
      'garbage collection': 0.05,
      'API code': 0.03,
      'GraphQL (parse, validate, execute)': 0.02,
      'pg (driver)': 0.01,
    });
    expect(summary.areas[0]).toEqual({ area: 'Node HTTP and sockets', ms: 0.7 });
  });

  it("tells a query's socket write from the HTTP response's flush", () => {
    const writes = summarizeProfile(PROFILE).functions.filter((row) =>
      row.name.startsWith('writev'),
    );
    expect(writes).toEqual([
      { name: 'writev ← pg (driver)', area: 'Node HTTP and sockets', ms: 0.4 },
      { name: 'writev ← Node itself', area: 'Node HTTP and sockets', ms: 0.3 },
    ]);
  });

  it('keeps only the samples inside a window (the load, not the start-up)', () => {
    // Cumulative sample times: 100 200 250 270 300 340 380 390 590 790 1090 1190.
    const summary = summarizeProfile(PROFILE, { window: { fromUs: 260, toUs: 400 } });
    expect(summary.busyMs).toBeCloseTo(0.14, 6);
    expect(summary.areas.map((row) => row.area)).toEqual([
      'domain rules',
      'API code',
      'GraphQL (parse, validate, execute)',
      'pg (driver)',
    ]);
  });
});

describe('areaOfUrl', () => {
  it.each([
    [
      'file:///r/node_modules/.pnpm/graphql@16/node_modules/graphql/language/parser.js',
      'GraphQL (parse, validate, execute)',
    ],
    ['file:///r/node_modules/@apollo/server/dist/cjs/requestPipeline.js', 'Apollo Server'],
    ['file:///r/node_modules/.pnpm/x/node_modules/pg-protocol/dist/serializer.js', 'pg (driver)'],
    ['file:///r/node_modules/some-package/index.js', 'some-package'],
    ['file:///r/node_modules/@scope/thing/index.js', '@scope/thing'],
    ['file:///r/apps/api/dist/main.js', 'API code'],
    ['file:///r/packages/domain/dist/money/money.js', 'domain rules'],
    ['node:net', 'Node HTTP and sockets'],
    ['node:internal/streams/writable', 'Node HTTP and sockets'],
    ['node:events', 'Node core (other)'],
  ])('%s is %s', (url, area) => {
    expect(areaOfUrl(url)).toBe(area);
  });

  it('has no area for a native frame (it takes its caller’s)', () => {
    expect(areaOfUrl('')).toBeNull();
  });
});
