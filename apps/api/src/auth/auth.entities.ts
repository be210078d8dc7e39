import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { ApiScope, Role } from '@refunds/domain';
import { instantColumn } from '../platform/db/columns';

@Entity('businesses')
@ObjectType('Business')
export class Business {
  @PrimaryColumn('uuid')
  @Field(() => ID)
  id: string;

  @Column('text')
  @Field()
  name: string;

  @Column('char', { length: 2 })
  @Field({
    description: 'ISO 3166-1 alpha-2, e.g. GH, US, BR. Drives the refund-channel examples.',
  })
  country: string;

  @Column('char', { length: 3 })
  @Field()
  currency: string;

  @Column('text')
  @Field({ description: 'IANA zone, e.g. Africa/Accra. Days in stats and rollups are days here.' })
  timezone: string;

  @Column(instantColumn())
  createdAt: Date;
}

@Entity('members')
@ObjectType('Member')
export class Member {
  @PrimaryColumn('uuid')
  @Field(() => ID)
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('text')
  @Field()
  name: string;

  @Column('text')
  @Field()
  email: string;

  @Column('text')
  passwordHash: string;

  @Column('text')
  @Field(() => Role)
  role: Role;

  @Column(instantColumn())
  createdAt: Date;

  /** Removed members stay as rows: their entries, notes and audit lines still name them. */
  @Column(instantColumn({ nullable: true }))
  removedAt: Date | null;
}

@Entity('sessions')
export class Session {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  memberId: string;

  @Column('uuid')
  businessId: string;

  @Column('text')
  tokenHash: string;

  @Column(instantColumn())
  createdAt: Date;

  @Column(instantColumn())
  expiresAt: Date;

  @Column(instantColumn({ nullable: true }))
  revokedAt: Date | null;
}

@Entity('api_keys')
@ObjectType('ApiKey', {
  description: "A third party's credential. Its secret is shown once, never here.",
})
export class ApiKey {
  @PrimaryColumn('uuid')
  @Field(() => ID)
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('text')
  @Field()
  name: string;

  @Column('text', { array: true })
  @Field(() => [ApiScope])
  scopes: ApiScope[];

  @Column('text')
  secretHash: string;

  @Column('uuid')
  createdBy: string;

  @Column(instantColumn())
  @Field()
  createdAt: Date;

  @Column(instantColumn({ nullable: true }))
  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;

  /** Updated at most once a minute, so authenticating a busy key is not a write per request. */
  @Column(instantColumn({ nullable: true }))
  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;

  @Column(instantColumn({ nullable: true }))
  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;
}
