import { DomainError, fail, ok, type Result, UserErrorCode } from '../errors';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/** Length is what protects a password; we ask for ten characters and cap work on huge inputs. */
export function checkPasswordStrength(password: string): Result<string> {
  // Count characters (code points), not UTF-16 units: five emoji are five characters, not ten. A
  // string of more than twice the cap in units has more than the cap in code points, so huge
  // inputs are refused before they are split.
  const length = password.length > 2 * MAX_PASSWORD_LENGTH ? password.length : [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return fail(
      new DomainError(
        UserErrorCode.WEAK_PASSWORD,
        `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
        ['input', 'password'],
      ),
    );
  }
  if (length > MAX_PASSWORD_LENGTH) {
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
