import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { creditsToString } from '@refunds/domain';
import type { RequestContext } from '../platform/graphql/context';
import { DecimalScalar } from '../platform/graphql/scalars';
import { LineItemType, PortalQuoteType, PortalType } from './quote.types';

/** /c/<token>: no authentication, read-only; an unknown token is null. */
@Resolver(() => PortalType)
export class PortalResolver {
  @Query(() => PortalType, {
    nullable: true,
    description: 'Unauthenticated and read-only: what /c/<token> shows its customer.',
  })
  portal(
    @Arg('token') token: string,
    @Ctx() { services }: RequestContext,
  ): Promise<PortalType | null> {
    return services.quotes.portal(token);
  }

  @FieldResolver(() => DecimalScalar)
  async creditBalance(
    @Root() portal: PortalType,
    @Ctx() { services }: RequestContext,
  ): Promise<string> {
    // The wallet is the credits flow's; the portal only shows it.
    return creditsToString(await services.credits.balance(portal.businessId, portal.customerId));
  }
}

/** A portal quote's lines: reached only through a valid portal token, like the quote itself. */
@Resolver(() => PortalQuoteType)
export class PortalQuoteResolver {
  @FieldResolver(() => [LineItemType])
  lineItems(
    @Root() quote: PortalQuoteType,
    @Ctx() { services }: RequestContext,
  ): Promise<LineItemType[]> {
    return services.quotes.lineItems(quote.businessId, quote.quoteId, quote.total.currency);
  }
}
