import type { EntityManager } from 'typeorm';
import type { Caller } from '../platform/graphql/context';
import { newId } from '../platform/ids';
import { sql, type Statement } from '../platform/db/statements';
import { type LateText, lateTextValues, withLateText } from '../platform/db/late-text';
import { ActorKind, type AuditChangeValue } from './audit.entities';

export interface AuditRecord {
  readonly businessId: string;
  /** Who acted; null when the system did (a worker, a migration). */
  readonly actor: Caller | null;
  /** E.g. CREDIT_REFUNDED, ENTRY_REVERSED, MEMBER_ROLE_CHANGED: upper snake case. */
  readonly action: string;
  /** The kind of what was acted on, e.g. Quote, CreditTransaction, Member. */
  readonly subjectType: string;
  readonly subjectId: string | null;
  readonly changes?: readonly AuditChangeValue[];
  readonly reason?: string | null;
  /** When it happened: pass the service clock's now(); absent, the transaction's start time. */
  readonly at?: Date;
}

export type { AuditChangeValue };

/** Who the audit log names for a caller: a member, an API key, or the system itself. */
function actorOf(actor: Caller | null): {
  kind: ActorKind;
  memberId: string | null;
  apiKeyId: string | null;
} {
  if (actor?.memberId) return { kind: ActorKind.MEMBER, memberId: actor.memberId, apiKeyId: null };
  if (actor?.apiKeyId) return { kind: ActorKind.API_KEY, memberId: null, apiKeyId: actor.apiKeyId };
  return { kind: ActorKind.SYSTEM, memberId: null, apiKeyId: null };
}

/**
 * The INSERT of one audit entry, its parameters numbered from `$first`; `changes` may wrap the
 * changes' JSON parameter (see withLateText).
 */
export function auditInsertSql(first = 1, changes = (param: string) => param): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO audit_entries (id, business_id, at, action, actor_kind, actor_member_id,
                                actor_api_key_id, subject_type, subject_id, changes, reason)
     VALUES (${p(0)}::uuid, ${p(1)}::uuid, COALESCE(${p(2)}::timestamptz, now()), ${p(3)}::text,
             ${p(4)}::text, ${p(5)}::uuid, ${p(6)}::uuid, ${p(7)}::text, ${p(8)}::text,
             ${changes(p(9))}::jsonb, ${p(10)}::text)`;
}

/**
 * The INSERT of many audit entries (a group commit's), auditValues' 11 parameters as 11 arrays
 * numbered from `$first`, inserted in their order.
 */
export function auditBatchInsertSql(first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO audit_entries (id, business_id, at, action, actor_kind, actor_member_id,
                                actor_api_key_id, subject_type, subject_id, changes, reason)
    SELECT id, business_id, COALESCE(at, now()), action, actor_kind, actor_member_id,
           actor_api_key_id, subject_type, subject_id, changes::jsonb, reason
      FROM unnest(${p(0)}::uuid[], ${p(1)}::uuid[], ${p(2)}::timestamptz[], ${p(3)}::text[],
                  ${p(4)}::text[], ${p(5)}::uuid[], ${p(6)}::uuid[], ${p(7)}::text[],
                  ${p(8)}::text[], ${p(9)}::text[], ${p(10)}::text[]) WITH ORDINALITY
        AS a(id, business_id, at, action, actor_kind, actor_member_id, actor_api_key_id,
             subject_type, subject_id, changes, reason, ord)
     ORDER BY ord`;
}

/** The parameters of auditInsertSql for one entry (11 of them, in its order). */
export function auditValues(entry: AuditRecord): unknown[] {
  const actor = actorOf(entry.actor);
  const changes = (entry.changes ?? []).map(({ field, before, after }) => ({
    field,
    before,
    after,
  }));
  return [
    newId(),
    entry.businessId,
    entry.at ?? null,
    entry.action,
    actor.kind,
    actor.memberId,
    actor.apiKeyId,
    entry.subjectType,
    entry.subjectId,
    JSON.stringify(changes),
    entry.reason ?? null,
  ];
}

const AUDIT_INSERT = auditInsertSql();

/**
 * Writes one audit entry through the use case's own transaction, so the entry commits with the
 * change it describes and rolls back with it (never a second connection: on the embedded database
 * that would wait forever for the leased session). A use case that writes other rows in the same
 * statement can fold the entry in with auditInsertSql and auditValues instead.
 */
export async function recordAudit(tx: EntityManager, entry: AuditRecord): Promise<void> {
  const { name, text, values } = auditStatement(entry);
  await sql(tx, name, text, values);
}

/**
 * recordAudit's statement, to send in a batch with the use case's last writes (see sqlAll).
 * With `late`, the changes may name, by its marker, a value an earlier statement of the batch
 * decides.
 */
export function auditStatement(entry: AuditRecord, late?: LateText): Statement {
  if (!late) return { name: 'recordAudit', text: AUDIT_INSERT, values: auditValues(entry) };
  const values = auditValues(entry);
  return {
    name: `recordAudit:${late.name}`,
    text: auditInsertSql(1, (param) => withLateText(param, late, values.length)),
    values: [...values, ...lateTextValues(late)],
  };
}
