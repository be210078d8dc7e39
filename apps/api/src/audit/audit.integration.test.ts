import type { Caller } from '../platform/graphql/context';
import { addMember, type SignedUp, startTestApi, type TestApi } from '../test/harness';
import { recordAudit } from './audit.recorder';

const LOG = `query ($action: String, $subjectId: ID, $first: Int, $after: String) {
  auditLog(action: $action, subjectId: $subjectId, first: $first, after: $after) {
    nodes { id at action actorKind actorName subjectType subjectId reason changes { field before after } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface LogNode {
  id: string;
  at: string;
  action: string;
  actorKind: string;
  actorName: string | null;
  subjectType: string;
  subjectId: string | null;
  reason: string | null;
  changes: Array<{ field: string; before: string | null; after: string | null }>;
}
interface LogPage {
  auditLog: { nodes: LogNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('audit log', () => {
  let api: TestApi;
  let owner: SignedUp;
  let ownerCaller: Caller;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.signUp({ name: 'Ama Owusu' });
    ownerCaller = (await api.services.auth.authenticate(owner.token))!;
  });
  afterAll(() => api.close());

  const write = (caller: Caller | null, action: string, subjectId: string, extra = {}) =>
    api.db.transaction((tx) =>
      recordAudit(tx, {
        businessId: owner.businessId,
        actor: caller,
        action,
        subjectType: 'CreditTransaction',
        subjectId,
        ...extra,
      }),
    );

  it('names the member, the API key or the system that acted, with changes and reason', async () => {
    api.clock.set(new Date('2026-11-20T10:00:00Z'));
    await write(ownerCaller, 'BALANCE_ADJUSTED', 'subject-1', {
      changes: [{ field: 'balance', before: '10', after: '15' }],
      reason: 'Miscounted visit',
      at: api.clock.now(),
    });
    const keyResult = await api.gql<{ createApiKey: { secret: string } }>(
      `mutation { createApiKey(input: { name: "Till sync", scopes: [READ, WRITE] }) { secret } }`,
      {},
      owner.token,
    );
    const keyCaller = (await api.services.auth.authenticate(keyResult.data!.createApiKey.secret))!;
    await write(keyCaller, 'CREDIT_REFUNDED', 'subject-2');
    await write(null, 'FOLLOW_UPS_STOPPED', 'subject-3');

    // Other actions (creating the key) are audited too: read each of ours by its subject.
    const only = async (subjectId: string) => {
      const page = await api.gql<LogPage>(LOG, { subjectId }, owner.token);
      expect(page.errors).toBeUndefined();
      expect(page.data!.auditLog.nodes).toHaveLength(1);
      return page.data!.auditLog.nodes[0]!;
    };
    const [system, key, member] = [
      await only('subject-3'),
      await only('subject-2'),
      await only('subject-1'),
    ];
    expect(system).toMatchObject({
      action: 'FOLLOW_UPS_STOPPED',
      actorKind: 'SYSTEM',
      actorName: null,
    });
    expect(key).toMatchObject({
      action: 'CREDIT_REFUNDED',
      actorKind: 'API_KEY',
      actorName: 'Till sync',
    });
    expect(member).toMatchObject({
      action: 'BALANCE_ADJUSTED',
      actorKind: 'MEMBER',
      actorName: 'Ama Owusu',
      subjectType: 'CreditTransaction',
      subjectId: 'subject-1',
      reason: 'Miscounted visit',
      at: '2026-11-20T10:00:00.000Z',
      changes: [{ field: 'balance', before: '10', after: '15' }],
    });
  });

  it('pages newest first without gaps or repeats, and filters by action and subject', async () => {
    for (let i = 0; i < 5; i++) await write(ownerCaller, 'PAGED_ACTION', `paged-${i}`);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof api.gql<LogPage>>> = await api.gql<LogPage>(
        LOG,
        { action: 'PAGED_ACTION', first: 2, after },
        owner.token,
      );
      seen.push(...page.data!.auditLog.nodes.map((n) => n.subjectId!));
      if (!page.data!.auditLog.pageInfo.hasNextPage) break;
      after = page.data!.auditLog.pageInfo.endCursor;
    }
    expect(seen).toEqual(['paged-4', 'paged-3', 'paged-2', 'paged-1', 'paged-0']);

    const bySubject = await api.gql<LogPage>(LOG, { subjectId: 'paged-2' }, owner.token);
    expect(bySubject.data!.auditLog.nodes.map((n) => n.action)).toEqual(['PAGED_ACTION']);
  });

  it('is for OWNER and ADMIN only', async () => {
    const admin = await addMember(api, owner, 'ADMIN');
    const byAdmin = await api.gql<LogPage>(LOG, { action: 'PAGED_ACTION', first: 1 }, admin);
    expect(byAdmin.data!.auditLog.nodes).toHaveLength(1);
    for (const role of ['MANAGER', 'AGENT', 'VIEWER']) {
      const token = await addMember(api, owner, role);
      const denied = await api.gql(LOG, {}, token);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      `mutation { createApiKey(input: { name: "Reader", scopes: [READ] }) { secret } }`,
      {},
      owner.token,
    );
    const byKey = await api.gql(LOG, {}, key.data!.createApiKey.secret);
    expect(byKey.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(LOG, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("never shows another business's entries", async () => {
    const other = await api.signUp();
    const page = await api.gql<LogPage>(LOG, { action: 'PAGED_ACTION' }, other.token);
    expect(page.data!.auditLog.nodes).toEqual([]);
  });

  it('refuses malformed cursors and page sizes as bad input', async () => {
    for (const variables of [
      { after: 'not-a-cursor' },
      { first: 0 },
      { first: 101 },
      { action: 'X'.repeat(201) },
      { action: 'A\u0000B' },
      { subjectId: 'subject\u0000' },
    ]) {
      const result = await api.gql(LOG, variables, owner.token);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('writes nothing when the transaction it belongs to rolls back', async () => {
    await expect(
      api.db.transaction(async (tx) => {
        await recordAudit(tx, {
          businessId: owner.businessId,
          actor: ownerCaller,
          action: 'ROLLED_BACK',
          subjectType: 'Test',
          subjectId: null,
        });
        throw new Error('the use case failed after auditing');
      }),
    ).rejects.toThrow('the use case failed');
    const page = await api.gql<LogPage>(LOG, { action: 'ROLLED_BACK' }, owner.token);
    expect(page.data!.auditLog.nodes).toEqual([]);
  });

  it('is append-only in the database: a direct UPDATE or DELETE fails', async () => {
    await expect(
      api.db.manager.query(`UPDATE audit_entries SET reason = 'rewritten'`),
    ).rejects.toThrow(/append-only/);
    await expect(api.db.manager.query(`DELETE FROM audit_entries`)).rejects.toThrow(/append-only/);
    const [row]: Array<{ count: string | number }> = await api.db.manager.query(
      `SELECT count(*) AS count FROM audit_entries WHERE reason = 'rewritten'`,
    );
    expect(Number(row?.count)).toBe(0);
  });
});
