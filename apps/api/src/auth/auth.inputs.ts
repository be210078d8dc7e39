import { ArrayMinSize, IsEmail, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { IsName } from '../platform/graphql/validators';
import { ApiScope, Role } from '@refunds/domain';

@InputType()
export class SignUpInput {
  @Field()
  @IsName()
  businessName: string;

  @Field()
  @Length(2, 2)
  country: string;

  @Field()
  @Length(3, 3)
  currency: string;

  @Field()
  @Length(1, 64)
  timezone: string;

  @Field()
  @IsName()
  name: string;

  @Field()
  @IsEmail()
  @MaxLength(254)
  email: string;

  // Strength (WEAK_PASSWORD) is the domain's rule; this only bounds the work.
  @Field()
  @MaxLength(1000)
  password: string;
}

@InputType()
export class CreateMemberInput {
  @Field()
  @IsName()
  name: string;

  @Field()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field(() => Role)
  role: Role;

  @Field()
  @MaxLength(1000)
  password: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field()
  @IsName()
  name: string;

  @Field(() => [ApiScope])
  @ArrayMinSize(1)
  scopes: ApiScope[];

  @Field(() => Date, {
    nullable: true,
    description: 'After this instant the key stops working; none means until revoked.',
  })
  expiresAt?: Date | null;
}

@InputType()
export class ChangeMemberRoleInput {
  @Field(() => ID)
  memberId: string;

  @Field(() => Role)
  role: Role;
}
