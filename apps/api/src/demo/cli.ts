import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { readConfig } from '../config';
import { openDataSource } from '../platform/db/data-source';
import { Database } from '../platform/db/database';
import { systemClock } from '../platform/clock';
import { buildApiSchema } from '../platform/graphql/schema';
import { createServices } from '../services';
import { allEntities, allMigrations } from '../features';
import { createSampleBusiness } from './sample-business';

/**
 * `pnpm demo`: a sample business in the configured database (DATABASE_URL, or the embedded one in
 * DATA_DIR), and the login to see it. The embedded database belongs to one process at a time:
 * stop the app first, then start it again and log in.
 *
 *   pnpm demo [--country GH --currency GHS --timezone Africa/Accra --name "Demo Cleaning"]
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      country: { type: 'string', default: 'GH' },
      currency: { type: 'string', default: 'GHS' },
      timezone: { type: 'string', default: 'Africa/Accra' },
      name: { type: 'string', default: 'Demo Cleaning' },
    },
  });
  const config = readConfig();
  const { dataSource, kind } = await openDataSource({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities: allEntities,
    migrations: allMigrations,
  });
  const db = new Database(dataSource, kind);
  try {
    const services = createServices(db, systemClock);
    const sample = await createSampleBusiness(
      services,
      await buildApiSchema(),
      {
        businessName: values.name,
        country: values.country,
        currency: values.currency,
        timezone: values.timezone,
        ownerName: 'Demo Owner',
      },
      'pnpm-demo',
    );
    console.log(`Sample business "${values.name} (sample)" is ready. Log in with:`);
    console.log(`  email:    ${sample.email}`);
    console.log(`  password: ${sample.password}`);
    console.log('It is made-up data; "Remove sample business" in the app closes it.');
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
