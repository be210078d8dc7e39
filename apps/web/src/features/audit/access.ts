import { can, Permission, type Role } from '@refunds/domain';

/**
 * Who may read the audit log (OWNER and ADMIN): the domain's READ_AUDIT_LOG, which the API asks
 * too (audit.resolver.ts), so the screen and the API cannot disagree. Kept
 * apart from the screen's helpers: the navigation imports it, and must not pull the screen in.
 */
export function canReadAuditLog(role: Role): boolean {
  return can({ kind: 'member', role }, Permission.READ_AUDIT_LOG);
}
