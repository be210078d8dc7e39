import { DomainError, fail, ok, type Result, UserErrorCode } from '../errors';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/** Length is what protects a password; we ask for ten characters and cap work on huge inputs. */
export function checkPasswordStrength(password: string): Result<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return fail(
      new DomainError(
        UserErrorCode.WEAK_PASSWORD,
        `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
        ['input', 'password'],
      ),
    );
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return fail(
      new DomainError(
        UserErrorCode.WEAK_PASSWORD,
        `Use at most ${MAX_PASSWORD_LENGTH} characters.`,
        ['input', 'password'],
      ),
    );
  }
  return ok(password);
}
