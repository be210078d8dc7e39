import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../platform/graphql/common-types';
import { ApiKey, Member } from './auth.entities';

@ObjectType()
export class AuthPayload {
  @Field(() => String, { nullable: true, description: 'Send as `Authorization: Bearer <token>`.' })
  token?: string | null;

  @Field(() => Member, { nullable: true })
  member?: Member | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class MemberPayload {
  @Field(() => Member, { nullable: true })
  member?: Member | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class ApiKeyPayload {
  @Field(() => String, {
    nullable: true,
    description: 'Shown once. Send as `Authorization: Bearer <secret>`.',
  })
  secret?: string | null;

  @Field(() => ApiKey, { nullable: true })
  apiKey?: ApiKey | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}
