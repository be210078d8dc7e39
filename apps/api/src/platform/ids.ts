import { randomBytes, randomUUID, createHash } from 'node:crypto';

export const newId = (): string => randomUUID();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids from clients are only looked up when they are well-formed: a malformed id behaves exactly
 * like an id that does not exist (NOT_FOUND), instead of a database error.
 */
export const isUuid = (value: string): boolean => UUID.test(value);

/** An unguessable token: 32 random bytes (256 bits), URL-safe. */
export const newSecret = (prefix = ''): string =>
  `${prefix}${randomBytes(32).toString('base64url')}`;

/** Secrets are stored as their SHA-256: a leaked table gives no usable token. */
export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex');
