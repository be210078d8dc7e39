/** A GraphQL call over HTTP for set-up and read timings (the load itself goes through autocannon). */
export class GraphqlClient {
  constructor(
    readonly url: string,
    private token?: string,
  ) {}

  /** The same signed-in caller against another API process (e.g. restarted on the same data). */
  at(url: string): GraphqlClient {
    return new GraphqlClient(url, this.token);
  }

  get bearer(): string {
    if (!this.token) throw new Error('not signed in');
    return `Bearer ${this.token}`;
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (!response.ok || body.errors || !body.data) {
      throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
    }
    return body.data;
  }

  /** A mutation whose payload has userErrors: any of them fails the set-up. */
  async mutate<T>(field: string, query: string, variables: Record<string, unknown>): Promise<T> {
    const data = await this.request<Record<string, { userErrors?: unknown[] }>>(query, variables);
    const payload = data[field];
    if (!payload || (payload.userErrors && payload.userErrors.length > 0)) {
      throw new Error(`${field}: ${JSON.stringify(payload)}`);
    }
    return payload as T;
  }

  /** Signs a new business up and keeps its owner's token; returns the business id. */
  async signUp(businessName: string): Promise<string> {
    const payload = await this.mutate<{ token: string }>(
      'signUp',
      `mutation ($input: SignUpInput!) { signUp(input: $input) { token userErrors { code message } } }`,
      {
        input: {
          businessName,
          country: 'GH',
          currency: 'GHS',
          timezone: 'Africa/Accra',
          name: 'Bench Owner',
          email: `owner-${Date.now()}-${Math.random().toString(36).slice(2)}@bench.example`,
          password: 'correct horse battery staple',
        },
      },
    );
    this.token = payload.token;
    const me = await this.request<{ business: { id: string } }>(`{ business { id } }`);
    return me.business.id;
  }
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
