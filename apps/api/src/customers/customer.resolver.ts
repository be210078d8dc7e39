import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Permission, READ_PERSONAL_DATA } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { Customer } from './customer.entity';
import { CreateCustomerInput } from './customer.inputs';
import { CustomerConnection, CustomerPayload } from './customer.types';

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized(Permission.WRITE_CUSTOMERS)
  @Mutation(() => CustomerPayload)
  async createCustomer(
    @Arg('input') input: CreateCustomerInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<CustomerPayload> {
    return { customer: await services.customers.create(caller.businessId, input), userErrors: [] };
  }

  @Authorized(Permission.READ_CUSTOMERS)
  @Query(() => Customer, { nullable: true })
  customer(
    @Arg('id', () => ID) id: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<Customer | null> {
    return services.customers.find(caller.businessId, id);
  }

  @Authorized(Permission.READ_CUSTOMERS)
  @Query(() => CustomerConnection)
  customers(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('initial', () => String, { nullable: true }) initial?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<CustomerConnection> {
    return services.customers.list(caller.businessId, { search, initial, first, after });
  }

  @Authorized(Permission.READ_CUSTOMERS)
  @Query(() => [String], {
    description:
      'The initials customer names start with, accents folded ("Émile" is E), letters in order and "#" (not a letter) last: the letters an A–Z bar should offer.',
  })
  customerInitials(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<string[]> {
    return services.customers.initials(caller.businessId);
  }

  // The portal shows totals, balances and refund reasons: money-readers only.
  @Authorized(READ_PERSONAL_DATA)
  @FieldResolver(() => String, {
    description: "Path of the customer's read-only portal page: /c/<token>.",
  })
  portalPath(@Root() customer: Customer): string {
    return `/c/${customer.portalToken}`;
  }
}
