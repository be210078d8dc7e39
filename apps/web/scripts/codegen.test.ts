import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * src/gql/graphql.ts is committed: it must be what scripts/codegen.mjs makes from today's schema
 * and operations. When this fails, run `pnpm --filter @refunds/web codegen` and commit the result.
 */
describe('generated operation types', () => {
  it('are up to date with the schema and src/**/graphql/*.graphql', () => {
    const webRoot = join(__dirname, '..');
    const fresh = execFileSync(
      process.execPath,
      [join(webRoot, 'scripts/codegen.mjs'), '--stdout'],
      {
        cwd: webRoot,
        encoding: 'utf8',
      },
    );
    const committed = readFileSync(join(webRoot, 'src/gql/graphql.ts'), 'utf8');
    expect(committed === fresh).toBe(true);
  });
});
