import { Client } from 'pg';

/**
 * A scratch database on the benchmark's PostgreSQL, created for one section and dropped after
 * it, so a run never touches a real database and leaves nothing behind.
 */
export class ScratchDatabase {
  private constructor(
    private readonly adminUrl: string,
    readonly name: string,
    readonly url: string,
  ) {}

  static async create(adminUrl: string, purpose: string): Promise<ScratchDatabase> {
    const name = `bench_${purpose}_${process.pid}_${Date.now().toString(36)}`;
    await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return new ScratchDatabase(adminUrl, name, url.toString());
  }

  async drop(): Promise<void> {
    await withClient(this.adminUrl, (admin) =>
      admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`),
    );
  }
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
