import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../platform/graphql/common-types';
import { ActorKind } from './audit.entities';

registerEnumType(ActorKind, { name: 'ActorKind' });

@ObjectType('AuditChange')
export class AuditChange {
  @Field({ description: 'What changed, e.g. balance, status, role, refundedAmount.' })
  field: string;

  @Field(() => String, { nullable: true })
  before: string | null;

  @Field(() => String, { nullable: true })
  after: string | null;
}

@ObjectType('AuditEntry', {
  description:
    'One money-moving action or access change, written in the same transaction as the change.',
})
export class AuditEntry {
  @Field(() => ID)
  id: string;

  /** The keyset of the log; not part of the contract. */
  seq: string;

  @Field()
  at: Date;

  @Field({
    description:
      'E.g. REFUND_RECORDED, CREDIT_REFUNDED, ENTRY_REVERSED, BALANCE_ADJUSTED, MEMBER_ROLE_CHANGED, API_KEY_REVOKED.',
  })
  action: string;

  @Field(() => ActorKind)
  actorKind: ActorKind;

  @Field(() => String, { nullable: true, description: "The member's or API key's name." })
  actorName: string | null;

  @Field({ description: 'The kind and id of what was acted on, e.g. Quote and its id.' })
  subjectType: string;

  @Field(() => ID, { nullable: true })
  subjectId: string | null;

  @Field(() => [AuditChange])
  changes: AuditChange[];

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@ObjectType()
export class AuditEntryConnection {
  @Field(() => [AuditEntry])
  nodes: AuditEntry[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
