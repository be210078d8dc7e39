import { IsEmail, IsOptional, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsName } from '../platform/graphql/validators';

@InputType()
export class CreateCustomerInput {
  @Field()
  @IsName()
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;
}
