import type { TestApi } from './harness';

/** One node of PostgreSQL's `EXPLAIN (ANALYZE, FORMAT JSON)` plan, the fields tests read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

export interface Plan {
  nodes: PlanNode[];
  /** The indexes the scans read. */
  indexes: string[];
  /** Rows every scan produced plus those it read and threw away (filter, lossy recheck), over all its loops. */
  rowsRead: number;
  /** One line: each node's type, index and rows, for an assertion's message. */
  text: string;
}

const nodesOf = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];

/**
 * Runs `sql` under EXPLAIN ANALYZE and says what it read: the proof that a list reads a page of
 * rows however long the history is (flat-cost tests of issue 15). PGlite has the same planner
 * and answers the same JSON (as a string), so it runs on both storages.
 */
export async function explainAnalyze(
  api: TestApi,
  sql: string,
  params: readonly unknown[],
): Promise<Plan> {
  const rows: { 'QUERY PLAN': unknown }[] = await api.db.manager.query(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
    [...params],
  );
  const raw = rows[0]!['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  const nodes = nodesOf(parsed[0]!.Plan);
  const scans = nodes.filter((node) => /Scan/.test(node['Node Type']));
  const rowsRead = scans
    .filter((node) => node['Node Type'] !== 'Bitmap Index Scan')
    .reduce(
      (sum, node) =>
        sum +
        (node['Actual Rows'] +
          (node['Rows Removed by Filter'] ?? 0) +
          (node['Rows Removed by Index Recheck'] ?? 0)) *
          node['Actual Loops'],
      0,
    );
  const text = nodes
    .map(
      (node) =>
        `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''} rows=${node['Actual Rows']}x${node['Actual Loops']}`,
    )
    .join(' / ');
  return {
    nodes,
    indexes: scans.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : [])),
    rowsRead,
    text,
  };
}
