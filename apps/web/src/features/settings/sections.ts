import { can, Permission, type Role } from '@refunds/domain';

export interface SettingsSection {
  readonly label: string;
  readonly path: string;
}

/**
 * The settings a member may open, from the domain's permission table (the API enforces the same
 * table): the team and API keys for those who manage them, bank accounts for money roles.
 */
export function settingsSectionsFor(role: Role): readonly SettingsSection[] {
  const member = { kind: 'member', role } as const;
  const sections: SettingsSection[] = [];
  if (can(member, Permission.MANAGE_MEMBERS)) {
    sections.push({ label: 'Business', path: '/settings/business' });
    sections.push({ label: 'Team', path: '/settings/team' });
  }
  if (can(member, Permission.MANAGE_API_KEYS)) {
    sections.push({ label: 'API keys', path: '/settings/api-keys' });
    // Webhooks hand the business's events to a third party, like a key: the same people decide.
    sections.push({ label: 'Webhooks', path: '/settings/webhooks' });
  }
  if (can(member, Permission.WRITE_MONEY)) {
    sections.push({ label: 'Bank accounts', path: '/settings/bank-accounts' });
  }
  return sections;
}
