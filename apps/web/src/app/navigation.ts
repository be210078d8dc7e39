import { canSeeMoney, type Role } from '@refunds/domain';
import { settingsSectionsFor } from '../features/settings/sections';
import { canReadAuditLog } from '../features/audit/access';

export interface NavItem {
  readonly label: string;
  readonly path: string;
  /** Shows money (quotes, revenue, transactions): only for roles the domain lets see money. */
  readonly money: boolean;
  /** A further condition on the role, for screens narrower than "sees money". */
  readonly allowed?: (role: Role) => boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Quotes', path: '/quotes', money: true },
  { label: 'Insights', path: '/insights', money: true },
  { label: 'Transactions', path: '/transactions', money: true },
  { label: 'Sent mail', path: '/mail', money: true },
  { label: 'Customers', path: '/customers', money: false },
  { label: 'Audit log', path: '/audit', money: false, allowed: canReadAuditLog },
  { label: 'Settings', path: '/settings', money: false },
];

export function seesMoney(role: Role): boolean {
  return canSeeMoney({ kind: 'member', role });
}

export function navItemsFor(role: Role): readonly NavItem[] {
  const money = seesMoney(role);
  // Settings only when the role may open at least one of its sections.
  const settings = settingsSectionsFor(role).length > 0;
  return NAV_ITEMS.filter(
    (item) =>
      (money || !item.money) &&
      (settings || item.path !== '/settings') &&
      (item.allowed?.(role) ?? true),
  );
}

/** Where a member lands after log-in. */
export function homePathFor(role: Role): string {
  return seesMoney(role) ? '/quotes' : '/customers';
}
