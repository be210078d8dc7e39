/**
 * A small GraphQL client for arranging what a test needs but does not exercise through the
 * screens (e.g. a credit purchase and spend before the Transactions screen refunds it). The
 * assertions are always made on what the browser shows.
 */
export class Api {
  constructor(
    private readonly url: string,
    private token: string | null = null,
  ) {}

  async request<T = unknown>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length || !body.data) {
      throw new Error(`GraphQL request failed: ${JSON.stringify(body.errors ?? body)}`);
    }
    return body.data;
  }

  /** Runs a mutation whose payload has `userErrors`; fails the test when there are any. */
  async mutate<T = unknown>(
    field: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const data = await this.request<Record<string, T & { userErrors: unknown[] }>>(
      query,
      variables,
    );
    const payload = data[field];
    if (!payload) throw new Error(`No ${field} payload`);
    if (payload.userErrors.length > 0) {
      throw new Error(`${field} refused: ${JSON.stringify(payload.userErrors)}`);
    }
    return payload;
  }

  async signUp(input: {
    businessName: string;
    country: string;
    currency: string;
    timezone: string;
    name: string;
    email: string;
    password: string;
  }): Promise<void> {
    const payload = await this.mutate<{ token: string }>(
      'signUp',
      `mutation ($input: SignUpInput!) { signUp(input: $input) { token userErrors { code message } } }`,
      { input },
    );
    this.token = payload.token;
  }

  async createCustomer(name: string, email: string | null = null): Promise<string> {
    const payload = await this.mutate<{ customer: { id: string } }>(
      'createCustomer',
      `mutation ($input: CreateCustomerInput!) {
        createCustomer(input: $input) { customer { id } userErrors { code message } }
      }`,
      { input: { name, email } },
    );
    return payload.customer.id;
  }
}

/** What the accounts and credits tests arrange through the API before using the screens. */
export const SETUP = {
  recordCreditPurchase: `mutation ($input: RecordCreditInput!) {
    recordCreditPurchase(input: $input) { transaction { id } userErrors { code message } }
  }`,
  recordCreditSpend: `mutation ($input: RecordCreditInput!) {
    recordCreditSpend(input: $input) { transaction { id } userErrors { code message } }
  }`,
  createQuote: `mutation ($input: CreateQuoteInput!) {
    createQuote(input: $input) { quote { id number } userErrors { code message } }
  }`,
  sendQuote: `mutation ($quoteId: ID!) {
    sendQuote(quoteId: $quoteId) { quote { status } userErrors { code message } }
  }`,
  acceptQuote: `mutation ($quoteId: ID!) {
    acceptQuote(quoteId: $quoteId) { quote { status } userErrors { code message } }
  }`,
} as const;
