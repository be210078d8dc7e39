import { defaultUserErrorMessage, type UserErrorCode } from './user-error-code';

/**
 * A rule said no. Carries a contract code, a sentence a person can act on, and the input field at
 * fault. The API turns it into a `userErrors` entry in one place; nothing else catches it.
 */
export class DomainError extends Error {
  readonly code: UserErrorCode;
  readonly field: readonly string[];

  constructor(code: UserErrorCode, message?: string, field: readonly string[] = []) {
    super(message ?? defaultUserErrorMessage[code]);
    this.name = 'DomainError';
    this.code = code;
    this.field = field;
  }

  /** The same failure, pointed at an input field (e.g. ["input", "amount"]). */
  at(...field: string[]): DomainError {
    return new DomainError(this.code, this.message, field);
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
