import {
  Ctx,
  Field,
  FieldResolver,
  Info,
  Mutation,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import { Authorized } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { DomainError, Permission, UserErrorCode } from '@refunds/domain';
import { Business } from '../auth/auth.entities';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { UserError } from '../platform/graphql/common-types';
import { createSampleBusiness, removeSampleBusiness } from './sample-business';

@ObjectType()
export class SampleBusinessPayload {
  @Field(() => String, {
    nullable: true,
    description: "A session in the new sample business, for its owner (the caller's name).",
  })
  token?: string | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class RemoveSampleBusinessPayload {
  @Field(() => Boolean, { nullable: true })
  removed?: boolean | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

async function isSample(context: RequestContext, businessId: string): Promise<boolean> {
  const [row]: Array<{ sample: boolean }> = await context.services.db.manager.query(
    `SELECT sample FROM businesses WHERE id = $1`,
    [businessId],
  );
  return row?.sample ?? false;
}

/** `Business.sample`: made-up data, so every screen can say so. */
@Resolver(() => Business)
export class SampleBusinessFieldResolver {
  @FieldResolver(() => Boolean, {
    description: 'A sample business with made-up data (see openSampleBusiness).',
  })
  sample(@Root() business: Business, @Ctx() context: RequestContext): Promise<boolean> {
    return isSample(context, business.id);
  }
}

@Resolver()
export class DemoResolver {
  @Authorized(Permission.MANAGE_MEMBERS)
  @Mutation(() => SampleBusinessPayload, {
    description:
      "Opens a new sample business (customers, a paid and a refunded invoice, credits with a partial refund, a credit note) in the caller's country, currency and time zone. The caller's own business is left untouched.",
  })
  async openSampleBusiness(
    @CurrentCaller() caller: Caller,
    @Ctx() context: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SampleBusinessPayload> {
    if (await isSample(context, caller.businessId)) {
      throw new DomainError(UserErrorCode.INVALID_STATE, 'This is already a sample business.');
    }
    const [business, member] = await Promise.all([
      context.services.auth.findBusiness(caller.businessId),
      caller.memberId ? context.services.auth.loadMember(caller.businessId, caller.memberId) : null,
    ]);
    if (!business) throw new Error(`business ${caller.businessId} vanished`);
    const sample = await createSampleBusiness(
      context.services,
      info.schema,
      {
        businessName: business.name,
        country: business.country,
        currency: business.currency,
        timezone: business.timezone,
        ownerName: member?.name ?? 'Sample owner',
      },
      context.clientIp,
    );
    return { token: sample.token, userErrors: [] };
  }

  @Authorized(Permission.READ_BUSINESS)
  @Mutation(() => RemoveSampleBusinessPayload, {
    description:
      "Closes the caller's sample business: its sessions and keys stop at once; its rows are kept, as every ledger row is.",
  })
  async removeSampleBusiness(
    @CurrentCaller() caller: Caller,
    @Ctx() context: RequestContext,
  ): Promise<RemoveSampleBusinessPayload> {
    if (!(await removeSampleBusiness(context.services, caller.businessId))) {
      throw new DomainError(UserErrorCode.INVALID_STATE, 'Only a sample business can be removed.');
    }
    return { removed: true, userErrors: [] };
  }
}
