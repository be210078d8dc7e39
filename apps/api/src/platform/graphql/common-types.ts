import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import {
  ApiScope,
  type Money,
  RefundReason,
  Role,
  toDecimalString,
  UserErrorCode,
  type DomainError,
} from '@refunds/domain';
import { DecimalScalar } from './scalars';

registerEnumType(UserErrorCode, { name: 'UserErrorCode' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(RefundReason, {
  name: 'RefundReason',
  description: 'Why money went back, beside the free-text reason, for reports.',
});
registerEnumType(ApiScope, {
  name: 'ApiScope',
  valuesConfig: {
    READ: { description: 'Read every query of the business.' },
    WRITE: {
      description: 'Run money-moving mutations: refunds, payments, adjustments, credit notes.',
    },
  },
});

@ObjectType()
export class UserError {
  @Field(() => UserErrorCode)
  code: UserErrorCode;

  @Field(() => [String], {
    description: 'Path to the input field at fault, e.g. ["input", "amount"]; empty when none.',
  })
  field: string[];

  @Field({ description: 'A sentence a person can act on.' })
  message: string;
}

export const toUserError = (error: DomainError): UserError => ({
  code: error.code,
  field: [...error.field],
  message: error.message,
});

@ObjectType('Money')
export class MoneyType {
  @Field(() => DecimalScalar)
  amount: string;

  @Field({ description: 'ISO 4217 code, e.g. USD, GHS, EUR.' })
  currency: string;
}

export const toMoneyType = (value: Money): MoneyType => ({
  amount: toDecimalString(value),
  currency: value.currency,
});

@InputType()
export class MoneyInput {
  @Field(() => DecimalScalar)
  amount: string;

  @Field()
  currency: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}
