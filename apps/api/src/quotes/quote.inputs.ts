import {
  ArrayMaxSize,
  ArrayMinSize,
  IsOptional,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { RefundReason } from '@refunds/domain';
import { DecimalScalar } from '../platform/graphql/scalars';

@InputType()
export class LineItemInput {
  @Field()
  @Length(1, 500)
  description: string;

  @Field(() => DecimalScalar)
  quantity: string;

  @Field(() => DecimalScalar)
  unitPrice: string;
}

@InputType()
export class CreateQuoteInput {
  @Field(() => ID)
  customerId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Links the quote to a case; when absent a new case is opened for the customer.',
  })
  @IsOptional()
  caseId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  title?: string | null;

  @Field(() => [LineItemInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  // type-graphql builds LineItemInput instances, so each line is validated too.
  @ValidateNested({ each: true })
  lineItems: LineItemInput[];
}

@InputType()
export class MarkPaidInput {
  @Field(() => ID)
  quoteId: string;

  @Field(() => Date, {
    nullable: true,
    description: 'When the money arrived; defaults to now; never in the future.',
  })
  @IsOptional()
  paidAt?: Date | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  idempotencyKey?: string | null;
}

@InputType()
export class RecordRefundInput {
  @Field(() => ID)
  quoteId: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Defaults to everything still refundable (a full refund). Less leaves the invoice PAID.',
  })
  @IsOptional()
  amount?: string | null;

  @Field(() => RefundReason, { nullable: true })
  @IsOptional()
  reasonCategory?: RefundReason | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  reason?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  idempotencyKey?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'E-mail the customer the amount, the reason and their portal link (kept on Sent mail without SMTP).',
  })
  notifyCustomer?: boolean | null;
}
