import { hash, verify } from '@node-rs/argon2';
import {
  type ApiScope,
  BadInputError,
  canAssignRole,
  canChangeRole,
  canManageMember,
  checkOwnerRemains,
  checkPasswordStrength,
  DomainError,
  isDemotion,
  parseBusinessProfile,
  type Role,
  unwrap,
  UserErrorCode,
  EventType,
} from '@refunds/domain';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/database';
import { sqlState } from '../platform/db/database';
import { hashSecret, isUuid, newId, newSecret } from '../platform/ids';
import { BatchLoader } from '../platform/batch-loader';
import { In, IsNull } from 'typeorm';
import type { Caller } from '../platform/graphql/context';
import { forbidden } from '../platform/graphql/errors';
import { recordAudit } from '../audit/audit.recorder';
import { recordEvent } from '../outbound/event.recorder';
import { ApiKey, Business, Member, Session } from './auth.entities';
import { Throttle } from './throttle';
import { CredentialCache } from './credential-cache';

const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const SESSION_PREFIX = 'rbo_s_';
const API_KEY_PREFIX = 'rbo_k_';
/** A key's lastUsedAt is refreshed at most this often: reads of a busy key stay reads. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

// Verifying against this when the email is unknown makes a miss cost as much as a wrong password,
// so response times do not tell which emails have accounts.
const DUMMY_HASH = hash('not-a-real-password-0000');

export interface SignUpRequest {
  businessName: string;
  country: string;
  currency: string;
  timezone: string;
  name: string;
  email: string;
  password: string;
}

export interface Authenticated {
  token: string;
  member: Member;
}

export class AuthService {
  private readonly throttle: Throttle;
  /** Who is behind the credentials seen in the last second (see authenticate). */
  private readonly credentials = new CredentialCache();
  private readonly memberLoader = new BatchLoader<Member>(async (businessId, ids) => {
    const wanted = ids.filter(isUuid);
    if (wanted.length === 0) return new Map();
    const rows = await this.db.manager.find(Member, { where: { businessId, id: In(wanted) } });
    return new Map(rows.map((row) => [row.id, row]));
  });

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.throttle = new Throttle(db);
  }

  async signUp(request: SignUpRequest, clientAddress: string): Promise<Authenticated> {
    const profile = unwrap(parseBusinessProfile(request));
    unwrap(checkPasswordStrength(request.password));
    // Counted once the input is well-formed, before the costly hash and the writes.
    await this.throttle.reserveSignUp(clientAddress);
    const passwordHash = await hash(request.password);
    return this.db.transaction(async (tx) => {
      await this.assertEmailFree(tx, request.email);
      const now = this.clock.now();
      const business = tx.create(Business, {
        id: newId(),
        name: request.businessName.trim(),
        ...profile,
        createdAt: now,
      });
      await tx.insert(Business, business);
      const member = tx.create(Member, {
        id: newId(),
        businessId: business.id,
        name: request.name.trim(),
        email: normalizeEmail(request.email),
        passwordHash,
        role: 'OWNER',
        createdAt: now,
        removedAt: null,
      });
      await this.insertMember(tx, member);
      const token = await this.openSession(tx, member);
      return { token, member };
    });
  }

  async login(email: string, password: string, clientAddress: string): Promise<Authenticated> {
    const account = normalizeEmail(email);
    // Reserved before the password is checked: concurrent guesses each need a try of their own.
    const attempt = await this.throttle.reserveLogin(account, clientAddress);
    const member = await this.db.manager.findOne(Member, {
      where: { email: account, removedAt: IsNull() },
    });
    const valid = await verify(member?.passwordHash ?? (await DUMMY_HASH), password).catch(
      () => false,
    );
    if (!member || !valid) {
      if (member && attempt.exhaustedAccount) {
        await this.db.transaction((tx) =>
          recordAudit(tx, {
            businessId: member.businessId,
            actor: null,
            action: 'LOGIN_LOCKED',
            subjectType: 'Member',
            subjectId: member.id,
            reason: `Too many wrong passwords from ${clientAddress.slice(0, 64)}`,
            at: this.clock.now(),
          }),
        );
      }
      throw new DomainError(UserErrorCode.INVALID_CREDENTIALS);
    }
    await attempt.succeeded();
    const token = await this.db.transaction((tx) => this.openSession(tx, member));
    return { token, member };
  }

  async logout(caller: Caller): Promise<boolean> {
    if (!caller.sessionId) return false;
    await this.db.manager.update(
      Session,
      { id: caller.sessionId },
      { revokedAt: this.clock.now() },
    );
    const sessionId = caller.sessionId;
    this.credentials.forget((cached) => cached.sessionId === sessionId);
    return true;
  }

  /**
   * The caller behind a bearer credential, or null when it is unknown, expired or revoked.
   *
   * Cheap on purpose (it runs on every request): a per-process cache answers a credential seen in
   * the last second (CREDENTIAL_TTL_MS) without the database; a miss is one plain indexed query.
   * Revocations made through this process (logout, revokeApiKey, removeMember, changeMemberRole,
   * a removed sample business) forget the entry at once; made through another process, they take
   * effect here within CREDENTIAL_TTL_MS.
   */
  async authenticate(credential: string): Promise<Caller | null> {
    const credentialHash = hashSecret(credential);
    const now = this.clock.now();
    const cached = this.credentials.get(credentialHash, now);
    if (cached) return cached;
    const generation = this.credentials.currentGeneration();
    if (credential.startsWith(API_KEY_PREFIX)) {
      const [key]: Array<{
        id: string;
        business_id: string;
        scopes: ApiScope[];
        expires_at: Date | null;
        revoked_at: Date | null;
        last_used_at: Date | null;
      }> = await this.db.manager.query(
        `SELECT id, business_id, scopes, expires_at, revoked_at, last_used_at
           FROM api_keys WHERE secret_hash = $1`,
        [credentialHash],
      );
      const expiresAt = key?.expires_at ? new Date(key.expires_at) : null;
      if (!key || key.revoked_at || (expiresAt && expiresAt <= now)) return null;
      // Written at most once per LAST_USED_RESOLUTION_MS per key, and only on a cache miss: the
      // row just read says whether it is due, so a busy key's requests stay reads. Awaited
      // because it is that rare, and so a key's lastUsedAt is right as soon as its call answers.
      const lastUsedAt = key.last_used_at ? new Date(key.last_used_at) : null;
      if (!lastUsedAt || lastUsedAt.getTime() <= now.getTime() - LAST_USED_RESOLUTION_MS) {
        await this.db.manager.query(
          `UPDATE api_keys SET last_used_at = $2
            WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)`,
          [key.id, now, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)],
        );
      }
      const caller: Caller = {
        businessId: key.business_id,
        memberId: null,
        apiKeyId: key.id,
        sessionId: null,
        principal: { kind: 'apiKey', scopes: parseScopes(key.scopes) },
      };
      this.credentials.set(credentialHash, caller, expiresAt, generation);
      return caller;
    }
    const rows: Array<{
      id: string;
      member_id: string;
      business_id: string;
      role: Role;
      expires_at: Date;
    }> = await this.db.manager.query(
      `SELECT s.id, s.member_id, s.business_id, m.role, s.expires_at
         FROM sessions s JOIN members m ON m.id = s.member_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
          AND m.removed_at IS NULL`,
      [credentialHash, now],
    );
    const session = rows[0];
    if (!session) return null;
    const caller: Caller = {
      businessId: session.business_id,
      memberId: session.member_id,
      apiKeyId: null,
      sessionId: session.id,
      principal: { kind: 'member', role: session.role },
    };
    this.credentials.set(credentialHash, caller, new Date(session.expires_at), generation);
    return caller;
  }

  /**
   * Forgets the cached callers of a business (its sessions and keys were just closed in the
   * database): they are refused by this process at once.
   */
  forgetBusiness(businessId: string): void {
    this.credentials.forget((caller) => caller.businessId === businessId);
  }

  async createMember(
    caller: Caller,
    input: { name: string; email: string; role: Role; password: string },
  ): Promise<Member> {
    const actor = caller.principal;
    if (actor.kind !== 'member' || !canAssignRole(actor.role, input.role)) {
      throw forbidden(`You cannot add a member with the role ${input.role}.`);
    }
    unwrap(checkPasswordStrength(input.password));
    const passwordHash = await hash(input.password);
    return this.db.transaction(async (tx) => {
      await this.assertEmailFree(tx, input.email);
      const member = tx.create(Member, {
        id: newId(),
        businessId: caller.businessId,
        name: input.name.trim(),
        email: normalizeEmail(input.email),
        passwordHash,
        role: input.role,
        createdAt: this.clock.now(),
        removedAt: null,
      });
      await this.insertMember(tx, member);
      await recordAudit(tx, {
        businessId: caller.businessId,
        actor: caller,
        action: 'MEMBER_ADDED',
        subjectType: 'Member',
        subjectId: member.id,
        changes: [{ field: 'role', before: null, after: member.role }],
        at: member.createdAt,
      });
      await recordEvent(tx, {
        businessId: caller.businessId,
        type: EventType.MEMBER_ADDED,
        actor: caller,
        at: member.createdAt,
        subjects: { memberId: member.id },
        data: { role: member.role },
      });
      return member;
    });
  }

  /**
   * Changes a member's role. Every member of the business is locked (in id order) first, so two
   * owners demoting each other at once cannot leave the business without one.
   */
  async changeMemberRole(caller: Caller, memberId: string, role: Role): Promise<Member> {
    const changed = await this.db.transaction(async (tx) => {
      const { target, owners, actor } = await this.lockMembers(tx, caller, memberId);
      if (!canChangeRole(actor, target.role, role)) {
        throw forbidden(`You cannot make a ${target.role} a ${role}.`);
      }
      if (target.role === role) return target;
      unwrap(checkOwnerRemains(owners, target.role, role));
      const before = target.role;
      await tx.update(Member, { id: target.id }, { role });
      // Sessions read the role on every request, but a demoted member's open tabs should not
      // keep what they were given at a higher rank: they log in again.
      if (isDemotion(before, role)) await this.revokeSessions(tx, target.id);
      await recordAudit(tx, {
        businessId: caller.businessId,
        actor: caller,
        action: 'MEMBER_ROLE_CHANGED',
        subjectType: 'Member',
        subjectId: target.id,
        changes: [{ field: 'role', before, after: role }],
        at: this.clock.now(),
      });
      await recordEvent(tx, {
        businessId: caller.businessId,
        type: EventType.MEMBER_ROLE_CHANGED,
        actor: caller,
        at: this.clock.now(),
        subjects: { memberId: target.id },
        data: { role, previousRole: before },
      });
      return { ...target, role };
    });
    // After the commit: the member's cached sessions carry the old role (or were just revoked).
    this.credentials.forget((cached) => cached.memberId === memberId);
    return changed;
  }

  /** Removes a member from the business and ends their sessions at once. */
  async removeMember(caller: Caller, memberId: string): Promise<Member> {
    const removed = await this.db.transaction(async (tx) => {
      const { target, owners, actor } = await this.lockMembers(tx, caller, memberId);
      if (!canManageMember(actor, target.role)) {
        throw forbidden(`You cannot remove a ${target.role}.`);
      }
      unwrap(checkOwnerRemains(owners, target.role, null));
      const removedAt = this.clock.now();
      await tx.update(Member, { id: target.id }, { removedAt });
      await this.revokeSessions(tx, target.id);
      await recordAudit(tx, {
        businessId: caller.businessId,
        actor: caller,
        action: 'MEMBER_REMOVED',
        subjectType: 'Member',
        subjectId: target.id,
        changes: [{ field: 'role', before: target.role, after: null }],
        at: removedAt,
      });
      await recordEvent(tx, {
        businessId: caller.businessId,
        type: EventType.MEMBER_REMOVED,
        actor: caller,
        at: removedAt,
        subjects: { memberId: target.id },
        data: { role: target.role },
      });
      return { ...target, removedAt };
    });
    this.credentials.forget((cached) => cached.memberId === memberId);
    return removed;
  }

  /** The business's current members, oldest first. */
  listMembers(businessId: string): Promise<Member[]> {
    return this.db.manager.find(Member, {
      where: { businessId, removedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async createApiKey(
    caller: Caller,
    input: { name: string; scopes: ApiScope[]; expiresAt?: Date | null },
  ): Promise<{ secret: string; apiKey: ApiKey }> {
    if (!caller.memberId)
      throw forbidden('API keys are created by members, not by other API keys.');
    const now = this.clock.now();
    if (input.expiresAt && input.expiresAt <= now) {
      throw new BadInputError('expiresAt must be in the future.', ['input', 'expiresAt']);
    }
    const secret = newSecret(API_KEY_PREFIX);
    const apiKey: ApiKey = {
      id: newId(),
      businessId: caller.businessId,
      name: input.name.trim(),
      scopes: [...new Set(input.scopes)],
      secretHash: hashSecret(secret),
      createdBy: caller.memberId,
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.db.transaction(async (tx) => {
      await tx.insert(ApiKey, apiKey);
      await recordAudit(tx, {
        businessId: caller.businessId,
        actor: caller,
        action: 'API_KEY_CREATED',
        subjectType: 'ApiKey',
        subjectId: apiKey.id,
        changes: [{ field: 'scopes', before: null, after: apiKey.scopes.join(',') }],
        at: now,
      });
      await recordEvent(tx, {
        businessId: caller.businessId,
        type: EventType.API_KEY_CREATED,
        actor: caller,
        at: now,
        subjects: { apiKeyId: apiKey.id },
        data: { name: apiKey.name, scopes: apiKey.scopes.join(',') },
      });
    });
    return { secret, apiKey };
  }

  /** Revokes a key at once; revoking a revoked key changes nothing. */
  async revokeApiKey(caller: Caller, id: string): Promise<ApiKey> {
    if (!isUuid(id)) throw new DomainError(UserErrorCode.NOT_FOUND, undefined, ['id']);
    const revoked = await this.db.transaction(async (tx) => {
      const key = await tx.findOne(ApiKey, {
        where: { id, businessId: caller.businessId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!key) throw new DomainError(UserErrorCode.NOT_FOUND, undefined, ['id']);
      if (key.revokedAt) return key;
      const revokedAt = this.clock.now();
      await tx.update(ApiKey, { id: key.id }, { revokedAt });
      await recordAudit(tx, {
        businessId: caller.businessId,
        actor: caller,
        action: 'API_KEY_REVOKED',
        subjectType: 'ApiKey',
        subjectId: key.id,
        at: revokedAt,
      });
      await recordEvent(tx, {
        businessId: caller.businessId,
        type: EventType.API_KEY_REVOKED,
        actor: caller,
        at: revokedAt,
        subjects: { apiKeyId: key.id },
      });
      return { ...key, revokedAt };
    });
    this.credentials.forget((cached) => cached.apiKeyId === id);
    return revoked;
  }

  /** Every key of the business, newest first, revoked and expired ones included. */
  listApiKeys(businessId: string): Promise<ApiKey[]> {
    return this.db.manager.find(ApiKey, {
      where: { businessId },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }

  findMember(businessId: string, memberId: string): Promise<Member | null> {
    return this.db.manager.findOne(Member, { where: { id: memberId, businessId } });
  }

  /** A member, batched: the authors shown on a list's rows cost one query together. */
  loadMember(businessId: string, memberId: string): Promise<Member | undefined> {
    return this.memberLoader.load(businessId, memberId);
  }

  findBusiness(businessId: string): Promise<Business | null> {
    return this.db.manager.findOne(Business, { where: { id: businessId } });
  }

  private async openSession(tx: Database['manager'], member: Member): Promise<string> {
    const token = newSecret(SESSION_PREFIX);
    const now = this.clock.now();
    await tx.insert(Session, {
      id: newId(),
      memberId: member.id,
      businessId: member.businessId,
      tokenHash: hashSecret(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
      revokedAt: null,
    });
    return token;
  }

  /**
   * Locks the business's current members and finds `memberId` among them (NOT_FOUND otherwise),
   * with the number of OWNERs and the caller's own role as the rows say now.
   */
  private async lockMembers(
    tx: Database['manager'],
    caller: Caller,
    memberId: string,
  ): Promise<{ target: Member; owners: number; actor: Role }> {
    const notFound = new DomainError(UserErrorCode.NOT_FOUND, undefined, ['input', 'memberId']);
    if (caller.principal.kind !== 'member') throw forbidden();
    if (!isUuid(memberId)) throw notFound;
    const members = await tx
      .getRepository(Member)
      .createQueryBuilder('m')
      .where('m.business_id = :businessId AND m.removed_at IS NULL', {
        businessId: caller.businessId,
      })
      .orderBy('m.id')
      .setLock('pessimistic_write')
      .getMany();
    const target = members.find((m) => m.id === memberId);
    if (!target) throw notFound;
    // The actor's role as it is now, under the lock: whoever was demoted or removed a moment ago
    // acts with what they have left, not with what their request started with.
    const self = members.find((m) => m.id === caller.memberId);
    if (!self) throw forbidden('You are no longer a member of this business.');
    return {
      target,
      owners: members.filter((m) => m.role === 'OWNER').length,
      actor: self.role,
    };
  }

  private async revokeSessions(tx: Database['manager'], memberId: string): Promise<void> {
    await tx.query(
      `UPDATE sessions SET revoked_at = $2 WHERE member_id = $1 AND revoked_at IS NULL`,
      [memberId, this.clock.now()],
    );
  }

  private async assertEmailFree(tx: Database['manager'], email: string): Promise<void> {
    const taken = await tx.exists(Member, {
      where: { email: normalizeEmail(email), removedAt: IsNull() },
    });
    if (taken) throw new DomainError(UserErrorCode.EMAIL_TAKEN, undefined, ['input', 'email']);
  }

  /** The unique index decides when two sign-ups race for one email. */
  private async insertMember(tx: Database['manager'], member: Member): Promise<void> {
    try {
      await tx.insert(Member, member);
    } catch (error) {
      if (sqlState(error) === '23505') {
        throw new DomainError(UserErrorCode.EMAIL_TAKEN, undefined, ['input', 'email']);
      }
      throw error;
    }
  }
}

/** A text[] column: an array from `pg`, and from PGlite; its literal form just in case. */
function parseScopes(value: ApiScope[] | string): ApiScope[] {
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean) as ApiScope[];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
