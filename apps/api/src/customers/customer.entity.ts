import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { READ_PERSONAL_DATA } from '@refunds/domain';
import { instantColumn } from '../platform/db/columns';

@Entity('customers')
@ObjectType('Customer')
export class Customer {
  @PrimaryColumn('uuid')
  @Field(() => ID)
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('text')
  @Field()
  name: string;

  @Column('text', { nullable: true })
  @Field(() => String, { nullable: true })
  @Authorized(READ_PERSONAL_DATA)
  email: string | null;

  /** The secret in the customer's portal link; 256 random bits. */
  @Column('text')
  portalToken: string;

  @Column(instantColumn())
  @Field()
  createdAt: Date;
}
