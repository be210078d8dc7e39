/**
 * Where the API's CPU goes: a V8 CPU profile (node --cpu-prof) summed by area, so that a missed
 * throughput goal comes with a profile, not just a figure (issue 15). Written here because the
 * profile format is a small JSON tree and the tools that read it (Chrome DevTools, speedscope)
 * are interactive; the benchmark needs a few printed lines.
 */

/** The parts of a `.cpuprofile` this reads (V8's Profiler.Profile). */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }>;
  readonly samples: readonly number[];
  /** Microseconds since the previous sample, one per sample. */
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** Sampled time on the main thread, idle excluded (ms). */
  readonly busyMs: number;
  /** Busy time by area, largest first (ms). */
  readonly areas: ReadonlyArray<{ readonly area: string; readonly ms: number }>;
  /** The functions with the most self time (ms), largest first. */
  readonly functions: ReadonlyArray<{
    readonly name: string;
    readonly area: string;
    readonly ms: number;
  }>;
}

/** Packages named by what they do in a request; any other package is named as itself. */
const PACKAGE_AREAS: Readonly<Record<string, string>> = {
  graphql: 'GraphQL (parse, validate, execute)',
  '@apollo/server': 'Apollo Server',
  '@apollo/utils.keyvaluecache': 'Apollo Server',
  'type-graphql': 'type-graphql',
  pg: 'pg (driver)',
  'pg-protocol': 'pg (driver)',
  'pg-pool': 'pg (driver)',
  'pg-types': 'pg (driver)',
  'postgres-array': 'pg (driver)',
  typeorm: 'TypeORM',
  express: 'Express and HTTP middleware',
  'body-parser': 'Express and HTTP middleware',
  'raw-body': 'Express and HTTP middleware',
  router: 'Express and HTTP middleware',
  helmet: 'Express and HTTP middleware',
  cors: 'Express and HTTP middleware',
  pino: 'logging (pino)',
  'pino-http': 'logging (pino)',
  'prom-client': 'metrics (prom-client)',
};

/** The area of one call frame's script, or null for a native frame (no script). */
export function areaOfUrl(url: string): string | null {
  if (url === '') return null;
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const parts = url.slice(inModules + '/node_modules/'.length).split('/');
    const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    if (name.startsWith('@refunds/'))
      return name === '@refunds/domain' ? 'domain rules' : 'API code';
    return PACKAGE_AREAS[name] ?? name;
  }
  if (url.includes('/packages/domain/')) return 'domain rules';
  if (url.includes('/apps/api/')) return 'API code';
  if (/^node:(_http|http|https|net|internal\/(http|stream|streams|net|js_stream))/.test(url)) {
    return 'Node HTTP and sockets';
  }
  if (url.startsWith('node:')) return 'Node core (other)';
  return 'other scripts';
}

const SPECIAL: Readonly<Record<string, string>> = {
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8 and native, outside JS',
};

/**
 * Self time by area. A native frame (JSON.stringify, a regexp, a crypto call) counts for the
 * area of the nearest script that called it: JSON.stringify inside the pg driver is the driver's
 * cost, inside Apollo it is Apollo's.
 */
export function summarizeProfile(
  profile: CpuProfile,
  options: {
    /** Only the samples taken in this window, in µs from the profile's start (e.g. the load). */
    readonly window?: { readonly fromUs: number; readonly toUs: number };
    readonly topFunctions?: number;
  } = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const areaCache = new Map<number, string>();
  const areaOf = (id: number): string => {
    const cached = areaCache.get(id);
    if (cached !== undefined) return cached;
    const frame = byId.get(id)!.callFrame;
    let area = SPECIAL[frame.functionName] ?? areaOfUrl(frame.url);
    if (area === null) {
      const up = parent.get(id);
      area =
        up === undefined || byId.get(up)!.callFrame.functionName === '(root)'
          ? 'native, no caller'
          : areaOf(up);
    }
    areaCache.set(id, area);
    return area;
  };
  // Node's own frames (a socket write, an event emit) name the code that asked for them: a write
  // from the pg driver is a query, one from Node's tick queue is the HTTP response's flush.
  const NODE_AREAS = new Set(['Node HTTP and sockets', 'Node core (other)', 'native, no caller']);
  const callerCache = new Map<number, string>();
  const callerOf = (id: number): string => {
    const cached = callerCache.get(id);
    if (cached !== undefined) return cached;
    const up = parent.get(id);
    let caller = 'Node itself';
    if (up !== undefined && byId.get(up)!.callFrame.functionName !== '(root)') {
      const area = areaOf(up);
      caller = NODE_AREAS.has(area) ? callerOf(up) : area;
    }
    callerCache.set(id, caller);
    return caller;
  };
  const selfUs = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (options.window && (at < options.window.fromUs || at > options.window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, { area: string; us: number }>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(root)') continue;
    const area = areaOf(id);
    busyUs += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name =
      `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}`.trim() +
      (NODE_AREAS.has(area) ? ` ← ${callerOf(id)}` : '');
    const entry = functions.get(name) ?? { area, us: 0 };
    entry.us += us;
    functions.set(name, entry);
  }
  return {
    busyMs: busyUs / 1000,
    areas: [...areas].map(([area, us]) => ({ area, ms: us / 1000 })).sort((a, b) => b.ms - a.ms),
    functions: [...functions]
      .map(([name, { area, us }]) => ({ name, area, ms: us / 1000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, options.topFunctions ?? 12),
  };
}

/** `…/node_modules/graphql/validation/validate.js` → `graphql/validation/validate.js`. */
function shortUrl(url: string): string {
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) return url.slice(inModules + '/node_modules/'.length);
  const inRepo = url.search(/\/(apps|packages)\//);
  if (inRepo >= 0) return url.slice(inRepo + 1);
  return url.replace(/^file:\/\//, '');
}
