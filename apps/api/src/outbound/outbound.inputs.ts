import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

// Event type names are checked against the domain's list by the service (BAD_USER_INPUT); the
// URL by the SSRF policy (INVALID_URL).

@InputType()
export class CreateWebhookEndpointInput {
  @Field()
  @MaxLength(2048)
  url: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  eventTypes?: string[] | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2048)
  url?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  eventTypes?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}
