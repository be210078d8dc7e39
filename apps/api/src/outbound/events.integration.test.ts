import { type SignedUp, type TestApi, addMember, startTestApi } from '../test/harness';
import { recordEvent } from './event.recorder';

type Gql = any;

const EVENTS = `query ($types: [String!], $first: Int, $after: String) {
  events(types: $types, first: $first, after: $after) {
    nodes { id sequence type occurredAt payload }
    pageInfo { hasNextPage endCursor }
  }
}`;

let api: TestApi;
let owner: SignedUp;

beforeAll(async () => {
  api = await startTestApi();
  owner = await api.signUp();
});

afterAll(() => api.close());

/** Reads the whole feed from `after`, page by page, as a third party catching up would. */
async function readFrom(
  token: string,
  after: string | null,
  first: number,
): Promise<{ nodes: Gql[]; cursor: string | null }> {
  const nodes: Gql[] = [];
  let cursor = after;
  for (;;) {
    const page = await api.gql<Gql>(EVENTS, { first, after: cursor }, token);
    if (!page.data) throw new Error(JSON.stringify(page.errors));
    nodes.push(...page.data.events.nodes);
    cursor = page.data.events.pageInfo.endCursor ?? cursor;
    if (!page.data.events.pageInfo.hasNextPage) return { nodes, cursor };
  }
}

describe('events', () => {
  it('pages without gaps while many clients write: every sequence once, in order', async () => {
    const business = await api.signUp();
    const WRITERS = 8;
    const EACH = 15;
    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, writer) => {
      for (let i = 0; i < EACH; i++) {
        await api.db.transaction((tx) =>
          recordEvent(tx, {
            businessId: business.businessId,
            type: 'credit.purchased',
            actor: null,
            at: api.clock.now(),
            subjects: { customerId: business.businessId },
            amounts: { credits: BigInt(i + 1) },
            data: { writer },
          }),
        );
      }
    });
    // The reader polls from its last cursor while the writers run, checking each page as it comes.
    const seen: number[] = [];
    const reader = (async () => {
      let cursor: string | null = null;
      for (;;) {
        // A read that starts after the last writer finished sees everything: then it may stop.
        const lastRead = !writing;
        const { nodes, cursor: next } = await readFrom(business.token, cursor, 7);
        for (const node of nodes) {
          expect(node.sequence).toBe(seen.length + 1);
          seen.push(node.sequence);
        }
        cursor = next;
        if (lastRead) break;
      }
    })();
    await Promise.all(writers);
    writing = false;
    await reader;
    expect(seen).toEqual(Array.from({ length: WRITERS * EACH }, (_, i) => i + 1));
    // Another business's feed is its own, from 1.
    const other = await readFrom(owner.token, null, 100);
    expect(other.nodes.every((n: Gql) => !n.payload.includes(business.businessId))).toBe(true);
  });

  it('carries amounts as strings, filters by type, and resumes from a cursor', async () => {
    const business = await api.signUp();
    const write = (type: 'credit.purchased' | 'credit.spent', credits: bigint) =>
      api.db.transaction((tx) =>
        recordEvent(tx, {
          businessId: business.businessId,
          type,
          actor: null,
          at: api.clock.now(),
          subjects: { customerId: business.businessId, missing: null },
          amounts: { credits, money: { minor: 125050n, currency: 'GHS' as never } },
        }),
      );
    await write('credit.purchased', 10n);
    await write('credit.spent', 4n);
    await write('credit.purchased', 3n);
    const all = await api.gql<Gql>(EVENTS, {}, business.token);
    expect(all.data.events.nodes.map((n: Gql) => [n.sequence, n.type])).toEqual([
      [1, 'credit.purchased'],
      [2, 'credit.spent'],
      [3, 'credit.purchased'],
    ]);
    expect(JSON.parse(all.data.events.nodes[0].payload)).toMatchObject({
      sequence: 1,
      actor: { kind: 'SYSTEM', id: null },
      data: {
        customerId: business.businessId,
        credits: '10',
        money: { amount: '1250.50', currency: 'GHS' },
      },
    });
    expect(JSON.parse(all.data.events.nodes[0].payload).data).not.toHaveProperty('missing');
    const spent = await api.gql<Gql>(EVENTS, { types: ['credit.spent'] }, business.token);
    expect(spent.data.events.nodes.map((n: Gql) => n.sequence)).toEqual([2]);
    const first = await api.gql<Gql>(EVENTS, { first: 1 }, business.token);
    const rest = await api.gql<Gql>(
      EVENTS,
      { after: first.data.events.pageInfo.endCursor },
      business.token,
    );
    expect(rest.data.events.nodes.map((n: Gql) => n.sequence)).toEqual([2, 3]);
  });

  it('refuses malformed input with BAD_USER_INPUT, never a 500', async () => {
    for (const variables of [
      { after: 'not-a-cursor' },
      { first: 0 },
      { first: 101 },
      { types: ['no.such_type'] },
      { after: Buffer.from('["x"]').toString('base64url') },
    ]) {
      const result = await api.gql<Gql>(EVENTS, variables, owner.token);
      expect(result.status).toBe(400);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('is for the READ scope and money roles, not for agents or viewers', async () => {
    const viewer = await addMember(api, owner, 'VIEWER');
    const denied = await api.gql<Gql>(EVENTS, {}, viewer);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const manager = await addMember(api, owner, 'MANAGER');
    expect((await api.gql<Gql>(EVENTS, {}, manager)).data?.events).toBeDefined();
    const key = await api.gql<Gql>(
      `mutation { createApiKey(input: { name: "feed", scopes: [READ] }) { secret userErrors { code } } }`,
      {},
      owner.token,
    );
    const secret = key.data.createApiKey.secret as string;
    expect((await api.gql<Gql>(EVENTS, {}, secret)).data?.events).toBeDefined();
    const anonymous = await api.gql<Gql>(EVENTS, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
