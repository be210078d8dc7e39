import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn, instantColumn } from '../platform/db/columns';

export const ActorKind = { MEMBER: 'MEMBER', API_KEY: 'API_KEY', SYSTEM: 'SYSTEM' } as const;
export type ActorKind = (typeof ActorKind)[keyof typeof ActorKind];

/** One field an audited action changed, as text (amounts as Decimal strings, states as names). */
export interface AuditChangeValue {
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

/**
 * One line of the audit log. Append-only (a trigger refuses UPDATE and DELETE): it stores who
 * acted by id only, and the name is resolved when read, so a renamed member shows their current
 * name and nothing personal is copied into an immutable table.
 */
@Entity('audit_entries')
export class AuditEntryRow {
  @PrimaryColumn('uuid')
  id: string;

  /** Insertion order; the keyset of the newest-first log. */
  @Column(bigintColumn({ insert: false, update: false }))
  seq: bigint;

  @Column('uuid')
  businessId: string;

  @Column(instantColumn())
  at: Date;

  @Column('text')
  action: string;

  @Column('text')
  actorKind: ActorKind;

  @Column('uuid', { nullable: true })
  actorMemberId: string | null;

  @Column('uuid', { nullable: true })
  actorApiKeyId: string | null;

  @Column('text')
  subjectType: string;

  @Column('text', { nullable: true })
  subjectId: string | null;

  @Column('jsonb')
  changes: AuditChangeValue[];

  @Column('text', { nullable: true })
  reason: string | null;
}
