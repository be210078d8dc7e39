import { hash, verify } from '@node-rs/argon2';
import {
  type ApiScope,
  canAssignRole,
  checkPasswordStrength,
  DomainError,
  parseBusinessProfile,
  type Role,
  unwrap,
  UserErrorCode,
} from '@refunds/domain';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/database';
import { sqlState } from '../platform/db/database';
import { hashSecret, isUuid, newId, newSecret } from '../platform/ids';
import { BatchLoader } from '../platform/batch-loader';
import { In } from 'typeorm';
import type { Caller } from '../platform/graphql/context';
import { forbidden, rateLimited } from '../platform/graphql/errors';
import { ApiKey, Business, Member, Session } from './auth.entities';
import { LoginThrottle } from './login-throttle';

const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const SESSION_PREFIX = 'rbo_s_';
const API_KEY_PREFIX = 'rbo_k_';
const FIFTEEN_MINUTES = 15 * 60 * 1000;

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
  private readonly throttleByEmail: LoginThrottle;
  private readonly throttleByAddress: LoginThrottle;
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
    this.throttleByEmail = new LoginThrottle(clock, { attempts: 5, windowMs: FIFTEEN_MINUTES });
    this.throttleByAddress = new LoginThrottle(clock, { attempts: 30, windowMs: FIFTEEN_MINUTES });
  }

  async signUp(request: SignUpRequest): Promise<Authenticated> {
    const profile = unwrap(parseBusinessProfile(request));
    unwrap(checkPasswordStrength(request.password));
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
      });
      await this.insertMember(tx, member);
      const token = await this.openSession(tx, member);
      return { token, member };
    });
  }

  async login(email: string, password: string, clientAddress: string): Promise<Authenticated> {
    const emailKey = normalizeEmail(email);
    const wait = Math.max(
      this.throttleByEmail.retryAfterSeconds(emailKey),
      this.throttleByAddress.retryAfterSeconds(clientAddress),
    );
    if (wait > 0) throw rateLimited(wait);

    const member = await this.db.manager.findOne(Member, { where: { email: emailKey } });
    const valid = await verify(member?.passwordHash ?? (await DUMMY_HASH), password).catch(
      () => false,
    );
    if (!member || !valid) {
      this.throttleByEmail.recordFailure(emailKey);
      this.throttleByAddress.recordFailure(clientAddress);
      throw new DomainError(UserErrorCode.INVALID_CREDENTIALS);
    }
    this.throttleByEmail.reset(emailKey);
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
    return true;
  }

  /** The caller behind a bearer credential, or null when it is unknown, expired or revoked. */
  async authenticate(credential: string): Promise<Caller | null> {
    const credentialHash = hashSecret(credential);
    const now = this.clock.now();
    if (credential.startsWith(API_KEY_PREFIX)) {
      const key = await this.db.manager.findOne(ApiKey, { where: { secretHash: credentialHash } });
      if (!key || key.revokedAt) return null;
      return {
        businessId: key.businessId,
        memberId: null,
        apiKeyId: key.id,
        sessionId: null,
        principal: { kind: 'apiKey', scopes: key.scopes },
      };
    }
    const rows: Array<{ id: string; member_id: string; business_id: string; role: Role }> =
      await this.db.manager.query(
        `SELECT s.id, s.member_id, s.business_id, m.role
           FROM sessions s JOIN members m ON m.id = s.member_id
          WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
        [credentialHash, now],
      );
    const session = rows[0];
    if (!session) return null;
    return {
      businessId: session.business_id,
      memberId: session.member_id,
      apiKeyId: null,
      sessionId: session.id,
      principal: { kind: 'member', role: session.role },
    };
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
      });
      await this.insertMember(tx, member);
      return member;
    });
  }

  async createApiKey(caller: Caller, input: { name: string; scopes: ApiScope[] }): Promise<string> {
    if (!caller.memberId)
      throw forbidden('API keys are created by members, not by other API keys.');
    const secret = newSecret(API_KEY_PREFIX);
    await this.db.manager.insert(ApiKey, {
      id: newId(),
      businessId: caller.businessId,
      name: input.name.trim(),
      scopes: [...new Set(input.scopes)],
      secretHash: hashSecret(secret),
      createdBy: caller.memberId,
      createdAt: this.clock.now(),
      revokedAt: null,
    });
    return secret;
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

  private async assertEmailFree(tx: Database['manager'], email: string): Promise<void> {
    const taken = await tx.exists(Member, { where: { email: normalizeEmail(email) } });
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

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
