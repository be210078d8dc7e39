import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApiSchema, printApiSchema } from './schema';

const committed = path.resolve(__dirname, '../../../schema.graphql');

describe('the emitted schema', () => {
  it('is committed as apps/api/schema.graphql and is current (pnpm schema:emit rewrites it)', async () => {
    const printed = printApiSchema(await buildApiSchema());
    if (process.env.UPDATE_SCHEMA) writeFileSync(committed, printed);
    expect(readFileSync(committed, 'utf8')).toBe(printed);
  });
});
