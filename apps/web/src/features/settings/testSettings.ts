// Test helper (no *.test suffix): an in-memory team, key list and bank accounts answering the
// settings operations as the contract describes them, refusing what the domain's table refuses.
import { canAssignRole, canChangeRole, canManageMember, type Role } from '@refunds/domain';
import type { Resolvers } from '../../test/fakeApi';
import { fakeBusiness, member } from '../../test/fixtures';

interface FakeMember {
  id: string;
  name: string;
  email: string;
  role: Role;
}
interface FakeKey {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
interface FakeBank {
  id: string;
  name: string;
  currency: string;
  archivedAt: string | null;
}

const NOW = '2026-11-20T10:00:00.000Z';

export function fakeSettings(options: { role?: Role; extra?: Resolvers } = {}) {
  const role = options.role ?? 'OWNER';
  const me: FakeMember = { ...member(role) };
  const members: FakeMember[] = [
    me,
    { id: 'm2', name: 'Kwame Asante', email: 'kwame@example.com', role: 'AGENT' },
    { id: 'm3', name: 'Efua Owner', email: 'efua@example.com', role: 'OWNER' },
  ];
  const keys: FakeKey[] = [
    {
      id: 'k1',
      name: 'Books sync',
      scopes: ['READ'],
      createdAt: '2026-11-01T09:00:00.000Z',
      expiresAt: null,
      lastUsedAt: '2026-11-19T08:30:00.000Z',
      revokedAt: null,
    },
  ];
  const banks: FakeBank[] = [
    { id: 'bank1', name: 'Main account', currency: 'GHS', archivedAt: null },
    {
      id: 'bank0',
      name: 'Closed account',
      currency: 'GHS',
      archivedAt: '2026-10-01T10:00:00.000Z',
    },
  ];
  const refused = (code: string, message: string) => ({
    userErrors: [{ code, field: [], message }],
  });
  let sequence = 10;

  const { resolvers } = fakeBusiness({
    role,
    extra: {
      members: () => members,
      createMember: ({ input }: { input: Omit<FakeMember, 'id'> & { password: string } }) => {
        if (!canAssignRole(me.role, input.role)) return refused('INVALID_STATE', 'Not that role.');
        if (members.some((m) => m.email === input.email)) {
          return {
            member: null,
            userErrors: [{ code: 'EMAIL_TAKEN', field: ['input', 'email'], message: '' }],
          };
        }
        const created = {
          id: `m${++sequence}`,
          name: input.name,
          email: input.email,
          role: input.role,
        };
        members.push(created);
        return { member: created, userErrors: [] };
      },
      changeMemberRole: ({ input }: { input: { memberId: string; role: Role } }) => {
        const target = members.find((m) => m.id === input.memberId);
        if (!target) return refused('NOT_FOUND', 'No such member.');
        if (!canChangeRole(me.role, target.role, input.role)) {
          return refused('INVALID_STATE', 'Your role cannot give that role.');
        }
        target.role = input.role;
        return { member: target, userErrors: [] };
      },
      removeMember: ({ memberId }: { memberId: string }) => {
        const index = members.findIndex((m) => m.id === memberId);
        if (index < 0 || !canManageMember(me.role, members[index]!.role)) {
          return refused('NOT_FOUND', 'No such member.');
        }
        const [removed] = members.splice(index, 1);
        return { member: removed, userErrors: [] };
      },
      apiKeys: () => keys,
      createApiKey: ({
        input,
      }: {
        input: { name: string; scopes: string[]; expiresAt?: string | null };
      }) => {
        const key: FakeKey = {
          id: `k${++sequence}`,
          name: input.name,
          scopes: input.scopes,
          createdAt: NOW,
          expiresAt: input.expiresAt ?? null,
          lastUsedAt: null,
          revokedAt: null,
        };
        keys.push(key);
        return { secret: `rbo_k_secret${sequence}`, apiKey: key, userErrors: [] };
      },
      revokeApiKey: ({ id }: { id: string }) => {
        const key = keys.find((k) => k.id === id);
        if (!key) return refused('NOT_FOUND', 'No such key.');
        key.revokedAt = NOW;
        return { apiKey: key, userErrors: [] };
      },
      bankAccounts: ({ includeArchived }: { includeArchived?: boolean }) =>
        banks.filter((b) => includeArchived || !b.archivedAt),
      createBankAccount: ({ input }: { input: { name: string; currency: string } }) => {
        const bank = { id: `bank${++sequence}`, ...input, archivedAt: null };
        banks.push(bank);
        return { bankAccount: bank, userErrors: [] };
      },
      renameBankAccount: ({ input }: { input: { bankAccountId: string; name: string } }) => {
        const bank = banks.find((b) => b.id === input.bankAccountId);
        if (!bank) return refused('NOT_FOUND', 'No such account.');
        bank.name = input.name;
        return { bankAccount: bank, userErrors: [] };
      },
      archiveBankAccount: ({ bankAccountId }: { bankAccountId: string }) => {
        const bank = banks.find((b) => b.id === bankAccountId);
        if (!bank) return refused('NOT_FOUND', 'No such account.');
        if (bank.archivedAt)
          return refused('INVALID_STATE', 'This bank account is already archived.');
        bank.archivedAt = NOW;
        return { bankAccount: bank, userErrors: [] };
      },
      ...options.extra,
    },
  });
  return { resolvers, members, keys, banks };
}
