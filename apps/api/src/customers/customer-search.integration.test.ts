import { startTestApi, type SignedUp, type TestApi } from '../test/harness';
import { oldInitials, oldList } from './customer-search.oracle';

/**
 * Customer search and the A–Z bar read indexes and still answer exactly what the scan of every
 * customer answered before them (the oracle: customer-search.oracle.ts), on a tricky set.
 */

const LIST = `query ($search: String, $initial: String, $first: Int, $after: String) {
  customers(search: $search, initial: $initial, first: $first, after: $after) {
    nodes { id name } pageInfo { hasNextPage endCursor }
  }
}`;

/** Every page of a list, `first` at a time, through the API. */
async function pageAll(
  api: TestApi,
  owner: SignedUp,
  query: { search?: string; initial?: string },
  first: number,
): Promise<{ id: string; name: string }[]> {
  const seen: { id: string; name: string }[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page: any = await api.gql<any>(LIST, { ...query, first, after }, owner.token);
    expect(page.errors).toBeUndefined();
    seen.push(...page.data.customers.nodes);
    if (!page.data.customers.pageInfo.hasNextPage) return seen;
    after = page.data.customers.pageInfo.endCursor;
  }
  throw new Error('the list did not end');
}

/** Inserts customers directly (names the API would trim or refuse are part of the tricky set). */
async function insertCustomers(
  api: TestApi,
  businessId: string,
  rows: readonly (readonly [name: string, email: string | null])[],
): Promise<void> {
  for (const [name, email] of rows) {
    await api.db.manager.query(
      `INSERT INTO customers (id, business_id, name, email, portal_token, created_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'tok-' || gen_random_uuid(), now())`,
      [businessId, name, email],
    );
  }
}

const TRICKY: readonly (readonly [string, string | null])[] = [
  ['Émile Zola', 'emile@zola.test'],
  ['EMILE ZOLA', null],
  ['emile zola', 'EZ@Zola.Test'],
  ['Ébo Mensah', 'ebo@mensah.test'],
  ['Zoë Adjei', 'zoe@adjei.test'],
  ['Zoe Adjei', 'zoe2@adjei.test'],
  ['100% Cotton', 'sales@cotton.test'],
  ['50_50 Shop', 'fifty_fifty@shop.test'],
  ['5050 Shop', 'plain@shop.test'],
  ['Back\\slash Ltd', 'back\\slash@ltd.test'],
  ['  Leading Spaces', 'lead@spaces.test'],
  [' leading space', null],
  ['1st Choice', 'first@choice.test'],
  ['2 Brothers', 'two@brothers.test'],
  ['😀 Smiles Co', 'smile@emoji.test'],
  ['Ωmega Ltd', 'omega@greek.test'],
  ['ωmega lower', null],
  ['Ängström Labs', 'a@labs.test'],
  ['Ñandú Imports', 'nandu@imports.test'],
  ['Straße GmbH', 'strasse@gmbh.test'],
  ['Kofi Mensah', 'kofi%@mensah.test'],
  ['Kwame', 'KWAME@EXAMPLE.TEST'],
  ['Żaneta', 'zaneta@pl.test'],
  ['zz top', 'zz@top.test'],
  ['_under', 'under@score.test'],
  ['%percent', 'percent@sign.test'],
];

const SEARCHES = [
  'emile',
  'ÉMILE',
  'zola',
  'zoe',
  'zoë',
  'ZOË',
  '%',
  '%%',
  '_',
  '0_5',
  '50_',
  '0%',
  '% C',
  '\\',
  'back\\s',
  '  lead',
  'leading',
  ' space',
  '1st',
  '2 b',
  '😀',
  '😀 s',
  'ω',
  'ΩMEGA',
  'angstrom',
  'ängström',
  'nandu',
  'ß',
  'strasse',
  'kofi%',
  'i%@',
  'kwame@example',
  '.test',
  'zz',
  'z',
  'e',
  'mensah',
  'nobody at all',
  'a',
];

describe('customer search and the A–Z bar (indexed) answer what the full scan answered', () => {
  let api: TestApi;
  let owner: SignedUp;
  let other: SignedUp;
  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.signUp();
    other = await api.signUp();
    await insertCustomers(api, owner.businessId, TRICKY);
    // Another business with the same names: never in the first one's answers.
    await insertCustomers(api, other.businessId, TRICKY.slice(0, 8));
  });
  afterAll(() => api.close());

  it('searches exactly as before: accents, case, %, _, backslash, spaces, digits, emoji', async () => {
    const idsOf = (rows: { id: string }[]) => rows.map((row) => row.id);
    for (const search of SEARCHES) {
      const expected = await oldList(api, owner.businessId, { search });
      expect({ search, ids: idsOf(await pageAll(api, owner, { search }, 3)) }).toEqual({
        search,
        ids: expected,
      });
    }
    // And what "as before" means, spelled out for the tricky ones (as sets: the order is the
    // database collation's, checked against the oracle above).
    const names = async (search: string) =>
      (await pageAll(api, owner, { search }, 100)).map((c) => c.name).sort();
    expect(await names('%')).toEqual(['%percent', '100% Cotton', 'Kofi Mensah'].sort()); // Kofi's e-mail has one
    expect(await names('_')).toEqual(['50_50 Shop', '_under'].sort());
    expect(await names('0_5')).toEqual(['50_50 Shop']);
    expect(await names('\\')).toEqual(['Back\\slash Ltd']);
    expect(await names('ÉMILE')).toEqual(['EMILE ZOLA', 'emile zola', 'Émile Zola'].sort());
    expect(await names('zoë')).toEqual(['Zoe Adjei', 'Zoë Adjei'].sort());
    expect(await names('😀')).toEqual(['😀 Smiles Co']);
    expect(await names('  lead')).toEqual(['  Leading Spaces', ' leading space'].sort());
    expect(await names('kofi%')).toEqual(['Kofi Mensah']);
    expect(await names('nobody at all')).toEqual([]);
  });

  it('filters by initial exactly as before, "#" for names that do not start with a letter', async () => {
    const initials = await api.gql<any>(`{ customerInitials }`, {}, owner.token);
    expect(initials.data.customerInitials).toEqual(await oldInitials(api, owner.businessId));
    expect(initials.data.customerInitials).toEqual(['A', 'B', 'E', 'K', 'N', 'S', 'Z', 'Ω', '#']);
    for (const initial of [...initials.data.customerInitials, 'é', 'ω', 'z', 'ż', 'Q']) {
      const expected = await oldList(api, owner.businessId, { initial });
      const got = await pageAll(api, owner, { initial }, 2);
      expect({ initial, ids: got.map((c) => c.id) }).toEqual({ initial, ids: expected });
    }
    const hash = (await pageAll(api, owner, { initial: '#' }, 100)).map((c) => c.name);
    expect(new Set(hash)).toEqual(
      new Set([
        '  Leading Spaces',
        ' leading space',
        '1st Choice',
        '2 Brothers',
        '😀 Smiles Co',
        '_under',
        '%percent',
        '100% Cotton',
        '50_50 Shop',
        '5050 Shop',
      ]),
    );
    // Search and initial together, and the whole list, paged.
    for (const query of [{ search: 'e', initial: 'E' }, { search: 'o', initial: '#' }, {}]) {
      const expected = await oldList(api, owner.businessId, query);
      expect((await pageAll(api, owner, query, 4)).map((c) => c.id)).toEqual(expected);
    }
  });
});
