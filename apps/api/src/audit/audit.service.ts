import { BadInputError } from '@refunds/domain';
import type { Database } from '../platform/db/database';
import { decodeCursor, type Page, pageSize, toPage } from '../platform/pagination';
import type { ActorKind, AuditChangeValue } from './audit.entities';
import { AuditEntry } from './audit.types';

export interface AuditLogQuery {
  action?: string | null | undefined;
  subjectId?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

interface AuditSqlRow {
  id: string;
  seq: string | number;
  at: Date | string;
  action: string;
  actor_kind: ActorKind;
  actor_name: string | null;
  subject_type: string;
  subject_id: string | null;
  changes: AuditChangeValue[] | string;
  reason: string | null;
}

const SEQ_CURSOR = /^[0-9]{1,19}$/;
/** Longer than any action or id; a longer filter can match nothing and is refused as input. */
const MAX_FILTER_LENGTH = 200;

/** Reads the audit log (writes go through `recordAudit`, inside each use case's transaction). */
export class AuditService {
  constructor(private readonly db: Database) {}

  /** Newest first, keyset-paginated on insertion order; the actor's current name joined in. */
  async list(businessId: string, query: AuditLogQuery): Promise<Page<AuditEntry>> {
    const size = pageSize(query.first);
    const after = decodeCursor(query.after, ['seq']);
    const conditions = ['a.business_id = $1'];
    const params: unknown[] = [businessId];
    for (const [column, value, name] of [
      ['a.action', query.action, 'action'],
      ['a.subject_id', query.subjectId, 'subjectId'],
    ] as const) {
      if (value === null || value === undefined || value === '') continue;
      if (value.length > MAX_FILTER_LENGTH) {
        throw new BadInputError(`"${name}" is longer than any value it could match.`, [name]);
      }
      params.push(value);
      conditions.push(`${column} = $${params.length}`);
    }
    if (after) {
      const seq = String(after[0]);
      if (!SEQ_CURSOR.test(seq)) {
        throw new BadInputError('That "after" cursor is not one this list gave out.', ['after']);
      }
      params.push(seq);
      conditions.push(`a.seq < $${params.length}`);
    }
    params.push(size + 1);
    const rows: AuditSqlRow[] = await this.db.manager.query(
      `SELECT a.id, a.seq, a.at, a.action, a.actor_kind, COALESCE(m.name, k.name) AS actor_name,
              a.subject_type, a.subject_id, a.changes, a.reason
         FROM audit_entries a
         LEFT JOIN members m ON m.id = a.actor_member_id
         LEFT JOIN api_keys k ON k.id = a.actor_api_key_id
        WHERE ${conditions.join(' AND ')}
        ORDER BY a.seq DESC
        LIMIT $${params.length}`,
      params,
    );
    return toPage(rows.map(toAuditEntry), size, (entry) => [entry.seq]);
  }
}

function toAuditEntry(row: AuditSqlRow): AuditEntry {
  const changes: AuditChangeValue[] =
    typeof row.changes === 'string' ? (JSON.parse(row.changes) as AuditChangeValue[]) : row.changes;
  const entry = new AuditEntry();
  Object.assign(entry, {
    id: row.id,
    seq: String(row.seq),
    at: row.at instanceof Date ? row.at : new Date(row.at),
    action: row.action,
    actorKind: row.actor_kind,
    actorName: row.actor_name,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    changes: changes.map(({ field, before, after }) => ({ field, before, after })),
    reason: row.reason,
  } satisfies AuditEntry);
  return entry;
}
