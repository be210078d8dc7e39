import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Permission, refundChannelExamples } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { ApiKey, Business, Member } from './auth.entities';
import {
  ChangeMemberRoleInput,
  CreateApiKeyInput,
  CreateMemberInput,
  SignUpInput,
} from './auth.inputs';
import { ApiKeyPayload, AuthPayload, MemberPayload } from './auth.types';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload)
  async signUp(
    @Arg('input') input: SignUpInput,
    @Ctx() { services, clientIp }: RequestContext,
  ): Promise<AuthPayload> {
    return { ...(await services.auth.signUp(input, clientIp)), userErrors: [] };
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

  @Authorized(Permission.MANAGE_MEMBERS)
  @Mutation(() => MemberPayload)
  async changeMemberRole(
    @Arg('input') input: ChangeMemberRoleInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<MemberPayload> {
    return {
      member: await services.auth.changeMemberRole(caller, input.memberId, input.role),
      userErrors: [],
    };
  }

  @Authorized(Permission.MANAGE_MEMBERS)
  @Mutation(() => MemberPayload, { description: "Revokes the member's sessions at once." })
  async removeMember(
    @Arg('memberId', () => ID) memberId: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<MemberPayload> {
    return { member: await services.auth.removeMember(caller, memberId), userErrors: [] };
  }

  @Authorized(Permission.MANAGE_MEMBERS)
  @Query(() => [Member], { description: 'OWNER and ADMIN.' })
  members(@CurrentCaller() caller: Caller, @Ctx() { services }: RequestContext): Promise<Member[]> {
    return services.auth.listMembers(caller.businessId);
  }

  @Authorized(Permission.MANAGE_API_KEYS)
  @Mutation(() => ApiKeyPayload)
  async createApiKey(
    @Arg('input') input: CreateApiKeyInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<ApiKeyPayload> {
    return { ...(await services.auth.createApiKey(caller, input)), userErrors: [] };
  }

  @Authorized(Permission.MANAGE_API_KEYS)
  @Mutation(() => ApiKeyPayload)
  async revokeApiKey(
    @Arg('id', () => ID) id: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<ApiKeyPayload> {
    return { apiKey: await services.auth.revokeApiKey(caller, id), userErrors: [] };
  }

  @Authorized(Permission.MANAGE_API_KEYS)
  @Query(() => [ApiKey], { description: 'OWNER and ADMIN. Never the secrets.' })
  apiKeys(@CurrentCaller() caller: Caller, @Ctx() { services }: RequestContext): Promise<ApiKey[]> {
    return services.auth.listApiKeys(caller.businessId);
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
