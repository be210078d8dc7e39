import {
  addMember,
  createCustomer,
  type SignedUp,
  startTestApi,
  type TestApi,
} from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';

const BANK = `bankAccount { id name currency archivedAt } userErrors { code field message }`;
const CREATE = `mutation ($input: CreateBankAccountInput!) { createBankAccount(input: $input) { ${BANK} } }`;
const RENAME = `mutation ($input: RenameBankAccountInput!) { renameBankAccount(input: $input) { ${BANK} } }`;
const ARCHIVE = `mutation ($id: ID!) { archiveBankAccount(bankAccountId: $id) { ${BANK} } }`;
const LIST = `query ($all: Boolean) { bankAccounts(includeArchived: $all) { id name archivedAt } }`;
const NOTE = `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code } } }`;
const REFUND = `mutation ($input: RefundCreditNoteInput!) {
  refundCreditNote(input: $input) { refund { number bankAccount { name } } userErrors { code field message } } }`;

interface Bank {
  id: string;
  name: string;
  currency: string;
  archivedAt: string | null;
}
type Payload = { bankAccount: Bank | null; userErrors: Array<{ code: string; message: string }> };

describe.each(WRITE_PATHS)('bank accounts: rename and archive (refunds: %s)', (writePath) => {
  let api: TestApi;
  let owner: SignedUp;

  beforeAll(async () => {
    api = await startTestApi({
      groupCommit: writePath === 'group commit',
      now: new Date('2026-05-01T10:00:00Z'),
    });
    owner = await api.signUp();
  });
  afterAll(() => api.close());

  const create = async (name: string) => {
    const result = await api.gql<{ createBankAccount: Payload }>(
      CREATE,
      { input: { name, currency: 'GHS' } },
      owner.token,
    );
    return result.data!.createBankAccount.bankAccount!;
  };

  it('renames under the same rules as a new account, and refuses a blank name', async () => {
    const bank = await create('Ecobank');
    const renamed = await api.gql<{ renameBankAccount: Payload }>(
      RENAME,
      { input: { bankAccountId: bank.id, name: '  Ecobank current  ' } },
      owner.token,
    );
    expect(renamed.data!.renameBankAccount).toEqual({
      bankAccount: { ...bank, name: 'Ecobank current' },
      userErrors: [],
    });
    const blank = await api.gql(
      RENAME,
      { input: { bankAccountId: bank.id, name: ' ' } },
      owner.token,
    );
    expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await api.gql<{ renameBankAccount: Payload }>(
      RENAME,
      { input: { bankAccountId: 'nope', name: 'X' } },
      owner.token,
    );
    expect(unknown.data!.renameBankAccount.userErrors[0]?.code).toBe('NOT_FOUND');
  });

  it('archives: kept for past refunds, gone from the refund list, refused for new refunds', async () => {
    const customerId = await createCustomer(api, owner);
    const old = await create('Old account');
    const fresh = await create('New account');
    const note = await api.gql<{ createCreditNote: { credit: { id: string } } }>(
      NOTE,
      { input: { customerId, amount: { amount: '50.00', currency: 'GHS' } } },
      owner.token,
    );
    const creditId = note.data!.createCreditNote.credit.id;
    const first = await api.gql<{ refundCreditNote: { refund: { number: string } } }>(
      REFUND,
      { input: { creditId, bankAccountId: old.id, amount: '10.00' } },
      owner.token,
    );
    expect(first.data!.refundCreditNote.refund.number).toBe('RF-000001');

    const archived = await api.gql<{ archiveBankAccount: Payload }>(
      ARCHIVE,
      { id: old.id },
      owner.token,
    );
    expect(archived.data!.archiveBankAccount.bankAccount?.archivedAt).toBe(
      '2026-05-01T10:00:00.000Z',
    );
    const again = await api.gql<{ archiveBankAccount: Payload }>(
      ARCHIVE,
      { id: old.id },
      owner.token,
    );
    expect(again.data!.archiveBankAccount.userErrors.map((e) => e.code)).toEqual(['INVALID_STATE']);

    const active = await api.gql<{ bankAccounts: Bank[] }>(LIST, {}, owner.token);
    expect(active.data!.bankAccounts.map((b) => b.name)).not.toContain('Old account');
    expect(active.data!.bankAccounts.map((b) => b.name)).toContain('New account');
    const all = await api.gql<{ bankAccounts: Bank[] }>(LIST, { all: true }, owner.token);
    expect(all.data!.bankAccounts.map((b) => b.name)).toContain('Old account');

    const refused = await api.gql<{
      refundCreditNote: { refund: null; userErrors: Array<{ code: string }> };
    }>(REFUND, { input: { creditId, bankAccountId: old.id, amount: '10.00' } }, owner.token);
    expect(refused.data!.refundCreditNote).toEqual({
      refund: null,
      userErrors: [
        {
          code: 'INVALID_STATE',
          field: ['input', 'bankAccountId'],
          message: 'That bank account is archived. Choose another one.',
        },
      ],
    });
    const ok = await api.gql<{ refundCreditNote: { refund: { bankAccount: { name: string } } } }>(
      REFUND,
      { input: { creditId, bankAccountId: fresh.id, amount: '10.00' } },
      owner.token,
    );
    expect(ok.data!.refundCreditNote.refund.bankAccount.name).toBe('New account');
  });

  it('is for money roles: a manager may, an agent may not, another business sees NOT_FOUND', async () => {
    const bank = await create('Stanbic');
    const manager = await addMember(api, owner, 'MANAGER');
    const renamed = await api.gql<{ renameBankAccount: Payload }>(
      RENAME,
      { input: { bankAccountId: bank.id, name: 'Stanbic payroll' } },
      manager,
    );
    expect(renamed.data!.renameBankAccount.userErrors).toEqual([]);
    const agent = await addMember(api, owner, 'AGENT');
    const refused = await api.gql(ARCHIVE, { id: bank.id }, agent);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await api.signUp();
    const foreign = await api.gql<{ archiveBankAccount: Payload }>(
      ARCHIVE,
      { id: bank.id },
      other.token,
    );
    expect(foreign.data!.archiveBankAccount.userErrors[0]?.code).toBe('NOT_FOUND');
  });
});
