import { Field, ObjectType } from 'type-graphql';
import { PageInfo, UserError } from '../platform/graphql/common-types';
import { Customer } from './customer.entity';

@ObjectType()
export class CustomerPayload {
  @Field(() => Customer, { nullable: true })
  customer?: Customer | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class CustomerConnection {
  @Field(() => [Customer])
  nodes: Customer[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
