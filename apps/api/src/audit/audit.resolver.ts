import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { Permission } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { AuditEntryConnection } from './audit.types';

/**
 * The audit log is for OWNER and ADMIN only. The domain's permission table gives exactly those
 * two roles (and no API key scope) MANAGE_MEMBERS: the people who answer for access are the
 * people who read who did what. A separate permission would repeat the same rows of that table.
 */
const READ_AUDIT_LOG = Permission.MANAGE_MEMBERS;

@Resolver()
export class AuditResolver {
  @Authorized(READ_AUDIT_LOG)
  @Query(() => AuditEntryConnection, { description: 'OWNER and ADMIN; newest first.' })
  auditLog(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('action', () => String, { nullable: true }) action?: string | null,
    @Arg('subjectId', () => ID, { nullable: true }) subjectId?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditEntryConnection> {
    return services.audit.list(caller.businessId, { action, subjectId, first, after });
  }
}
