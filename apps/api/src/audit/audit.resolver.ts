import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { Permission } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { AuditEntryConnection } from './audit.types';

@Resolver()
export class AuditResolver {
  @Authorized(Permission.READ_AUDIT_LOG)
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
