import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission, refundChannelExamples } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { Business, Member } from './auth.entities';
import { CreateApiKeyInput, CreateMemberInput, SignUpInput } from './auth.inputs';
import { ApiKeyPayload, AuthPayload, MemberPayload } from './auth.types';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload)
  async signUp(
    @Arg('input') input: SignUpInput,
    @Ctx() { services }: RequestContext,
  ): Promise<AuthPayload> {
    return { ...(await services.auth.signUp(input)), userErrors: [] };
  }

  @Mutation(() => AuthPayload)
  async login(
    @Arg('email') email: string,
    @Arg('password') password: string,
    @Ctx() { services, clientIp }: RequestContext,
  ): Promise<AuthPayload> {
    return { ...(await services.auth.login(email, password, clientIp)), userErrors: [] };
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Revokes the token this request was made with.' })
  logout(@CurrentCaller() caller: Caller, @Ctx() { services }: RequestContext): Promise<boolean> {
    return services.auth.logout(caller);
  }

  @Authorized()
  @Query(() => Member, { nullable: true })
  me(@CurrentCaller() caller: Caller, @Ctx() { services }: RequestContext): Promise<Member | null> {
    return caller.memberId
      ? services.auth.findMember(caller.businessId, caller.memberId)
      : Promise.resolve(null);
  }

  @Authorized(Permission.READ_BUSINESS)
  @Query(() => Business, { nullable: true })
  business(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<Business | null> {
    return services.auth.findBusiness(caller.businessId);
  }

  @Authorized(Permission.MANAGE_MEMBERS)
  @Mutation(() => MemberPayload)
  async createMember(
    @Arg('input') input: CreateMemberInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<MemberPayload> {
    return { member: await services.auth.createMember(caller, input), userErrors: [] };
  }

  @Authorized(Permission.MANAGE_API_KEYS)
  @Mutation(() => ApiKeyPayload)
  async createApiKey(
    @Arg('input') input: CreateApiKeyInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<ApiKeyPayload> {
    return { secret: await services.auth.createApiKey(caller, input), userErrors: [] };
  }
}

@Resolver(() => Business)
export class BusinessResolver {
  @FieldResolver(() => [String], {
    description: 'Where the customers of this country usually get their money back.',
  })
  refundChannelExamples(@Root() business: Business): readonly string[] {
    return refundChannelExamples(business.country);
  }
}
