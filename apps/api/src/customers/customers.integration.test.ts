import { addMember, startTestApi, type TestApi } from '../test/harness';

const CREATE = `mutation ($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id name email portalPath } userErrors { code } }
}`;
const LIST = `query ($search: String, $initial: String, $first: Int, $after: String) {
  customers(search: $search, initial: $initial, first: $first, after: $after) {
    nodes { id name } pageInfo { hasNextPage endCursor }
  }
}`;

describe('customers', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('creates a customer with an unguessable portal path', async () => {
    const owner = await api.signUp();
    const a = await api.gql<any>(
      CREATE,
      { input: { name: 'Kofi Mensah', email: 'kofi@example.com' } },
      owner.token,
    );
    const b = await api.gql<any>(CREATE, { input: { name: 'Esi Boateng' } }, owner.token);
    const pathA = a.data.createCustomer.customer.portalPath as string;
    expect(pathA).toMatch(/^\/c\/[A-Za-z0-9_-]{43}$/); // 32 random bytes = 256 bits
    expect(b.data.createCustomer.customer.portalPath).not.toBe(pathA);
    expect(b.data.createCustomer.customer.email).toBeNull();
  });

  it('pages through customers in name order, searching and filtering by initial', async () => {
    const owner = await api.signUp();
    const names = ['zara', 'Adwoa', 'abena', 'Kojo', 'Kwame', 'Yaw', '3D Prints', 'Akosua', 'Efua'];
    for (const name of names)
      await api.gql(
        CREATE,
        { input: { name, email: `${name.replace(' ', '')}@shop.test` } },
        owner.token,
      );

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await api.gql<any>(LIST, { first: 4, after }, owner.token);
      seen.push(...page.data.customers.nodes.map((c: { name: string }) => c.name));
      after = page.data.customers.pageInfo.hasNextPage
        ? page.data.customers.pageInfo.endCursor
        : null;
    } while (after);
    expect(seen).toEqual([
      '3D Prints',
      'abena',
      'Adwoa',
      'Akosua',
      'Efua',
      'Kojo',
      'Kwame',
      'Yaw',
      'zara',
    ]);

    const byInitial = await api.gql<any>(LIST, { initial: 'k' }, owner.token);
    expect(byInitial.data.customers.nodes.map((c: any) => c.name)).toEqual(['Kojo', 'Kwame']);
    const nonLetters = await api.gql<any>(LIST, { initial: '#' }, owner.token);
    expect(nonLetters.data.customers.nodes.map((c: any) => c.name)).toEqual(['3D Prints']);
    const search = await api.gql<any>(LIST, { search: 'WAM' }, owner.token);
    expect(search.data.customers.nodes.map((c: any) => c.name)).toEqual(['Kwame']);
    const byEmail = await api.gql<any>(LIST, { search: 'efua@shop' }, owner.token);
    expect(byEmail.data.customers.nodes.map((c: any) => c.name)).toEqual(['Efua']);
    const wildcard = await api.gql<any>(LIST, { search: '%' }, owner.token);
    expect(wildcard.data.customers.nodes).toEqual([]);
  });

  it('folds accents: "emile" finds Émile Zola, who files under E and sorts among the Es', async () => {
    const owner = await api.signUp();
    const names = [
      'Zoë Adjei',
      'Émile Zola',
      'Esi Ofori',
      'Ébo Mensah',
      'Fiifi',
      'Ωmega Ltd',
      '#1 Shop',
    ];
    for (const name of names) await api.gql(CREATE, { input: { name } }, owner.token);
    const namesOf = (result: any) => result.data.customers.nodes.map((c: any) => c.name);

    expect(namesOf(await api.gql<any>(LIST, { search: 'emile' }, owner.token))).toEqual([
      'Émile Zola',
    ]);
    expect(namesOf(await api.gql<any>(LIST, { search: 'ÉMILE' }, owner.token))).toEqual([
      'Émile Zola',
    ]);
    expect(namesOf(await api.gql<any>(LIST, { search: 'zoe' }, owner.token))).toEqual([
      'Zoë Adjei',
    ]);
    expect(namesOf(await api.gql<any>(LIST, { initial: 'E' }, owner.token))).toEqual([
      'Ébo Mensah',
      'Émile Zola',
      'Esi Ofori',
    ]);
    expect(namesOf(await api.gql<any>(LIST, { initial: 'é' }, owner.token))).toHaveLength(3);
    expect(namesOf(await api.gql<any>(LIST, { initial: 'Ω' }, owner.token))).toEqual(['Ωmega Ltd']);
    expect(namesOf(await api.gql<any>(LIST, { initial: '#' }, owner.token))).toEqual(['#1 Shop']);

    // Pages in folded order: the cursor carries the folded name, so nothing repeats or goes missing.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await api.gql<any>(LIST, { first: 2, after }, owner.token);
      seen.push(...namesOf(page));
      after = page.data.customers.pageInfo.hasNextPage
        ? page.data.customers.pageInfo.endCursor
        : null;
    } while (after);
    expect(seen).toEqual([
      '#1 Shop',
      'Ébo Mensah',
      'Émile Zola',
      'Esi Ofori',
      'Fiifi',
      'Zoë Adjei',
      'Ωmega Ltd',
    ]);

    const initials = await api.gql<any>(`{ customerInitials }`, {}, owner.token);
    expect(initials.data.customerInitials).toEqual(['E', 'F', 'Z', 'Ω', '#']);
    const other = await api.signUp();
    expect((await api.gql<any>(`{ customerInitials }`, {}, other.token)).data).toEqual({
      customerInitials: [],
    });
  });

  it('refuses bad pagination input as BAD_USER_INPUT', async () => {
    const owner = await api.signUp();
    for (const variables of [
      { first: 101 },
      { first: 0 },
      { after: 'not-a-cursor' },
      { initial: 'AB' },
      { initial: '1' },
      { initial: '%' },
    ]) {
      const result = await api.gql<any>(LIST, variables, owner.token);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it("treats another business's customer, and a malformed id, exactly like a missing one", async () => {
    const mine = await api.signUp();
    const theirs = await api.signUp();
    const created = await api.gql<any>(CREATE, { input: { name: 'Private' } }, theirs.token);
    const id = created.data.createCustomer.customer.id;
    const read = (customerId: string) =>
      api.gql<any>(`query ($id: ID!) { customer(id: $id) { id } }`, { id: customerId }, mine.token);
    expect(await read(id)).toEqual({ status: 200, data: { customer: null } });
    expect(await read('00000000-0000-4000-8000-000000000000')).toEqual({
      status: 200,
      data: { customer: null },
    });
    expect(await read('not-a-uuid')).toEqual({ status: 200, data: { customer: null } });
    const list = await api.gql<any>(LIST, {}, mine.token);
    expect(list.data.customers.nodes).toEqual([]);
  });

  it('lets agents and viewers see customers; viewers cannot add them', async () => {
    const owner = await api.signUp();
    const agent = await addMember(api, owner, 'AGENT');
    const viewer = await addMember(api, owner, 'VIEWER');
    const byAgent = await api.gql<any>(
      `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id name } } }`,
      { input: { name: 'By agent', email: 'by-agent@example.com' } },
      agent,
    );
    expect(byAgent.data.createCustomer.customer.name).toBe('By agent');
    expect((await api.gql<any>(LIST, {}, viewer)).data.customers.nodes).toHaveLength(1);
    // Emails and the portal link (which shows money) are for money roles only.
    for (const field of ['email', 'portalPath']) {
      const read = await api.gql<any>(
        `query ($id: ID!) { customer(id: $id) { name ${field} } }`,
        { id: byAgent.data.createCustomer.customer.id },
        viewer,
      );
      expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(read.data)).not.toContain('by-agent@example.com');
    }
    expect(
      (await api.gql<any>(CREATE, { input: { name: 'By viewer' } }, viewer)).errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');
  });
});
