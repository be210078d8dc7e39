import { canSeeMoney, type Role } from '@refunds/domain';

export interface NavItem {
  readonly label: string;
  readonly path: string;
  /** Shows money (quotes, revenue, transactions): only for roles the domain lets see money. */
  readonly money: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Quotes', path: '/quotes', money: true },
  { label: 'Insights', path: '/insights', money: true },
  { label: 'Transactions', path: '/transactions', money: true },
  { label: 'Customers', path: '/customers', money: false },
];

export function seesMoney(role: Role): boolean {
  return canSeeMoney({ kind: 'member', role });
}

export function navItemsFor(role: Role): readonly NavItem[] {
  const money = seesMoney(role);
  return NAV_ITEMS.filter((item) => money || !item.money);
}

/** Where a member lands after log-in. */
export function homePathFor(role: Role): string {
  return seesMoney(role) ? '/quotes' : '/customers';
}
