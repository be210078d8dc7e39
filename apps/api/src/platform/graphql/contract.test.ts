import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';
import { buildApiSchema } from './schema';

const contractPath = path.resolve(__dirname, '../../../../../contract/schema.graphql');

/**
 * What the emitted schema does not have yet, as graphql-js describes it. Each flow removes its
 * names as it lands; the list ends empty. Anything else findBreakingChanges reports fails the test.
 */
const STILL_MISSING: string[] = [
  // issue 11 (money trail: partial refunds, reasons, reversals, audit log)
];

describe('the public contract (contract/schema.graphql)', () => {
  it('is a copy of ../shared/contract/schema.graphql when that is beside the repo', () => {
    const shared = path.resolve(__dirname, '../../../../../../shared/contract/schema.graphql');
    let upstream: string;
    try {
      upstream = readFileSync(shared, 'utf8');
    } catch {
      return; // a clone without shared/ beside it has only the committed copy to check against
    }
    expect(readFileSync(contractPath, 'utf8')).toBe(upstream);
  });

  it('is contained in the emitted schema, but for the fields still listed as missing', async () => {
    const contract = buildSchema(readFileSync(contractPath, 'utf8'));
    const emitted = await buildApiSchema();
    const breaking = findBreakingChanges(contract, emitted).map((change) => change.description);
    expect([...breaking].sort()).toEqual([...STILL_MISSING].sort());
  });
});
