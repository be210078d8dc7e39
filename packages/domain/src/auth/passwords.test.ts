import { UserErrorCode } from '../errors';
import { checkPasswordStrength, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords';

function refusal(password: string): string {
  const result = checkPasswordStrength(password);
  if (result.ok) throw new Error('expected a refusal');
  expect(result.error.code).toBe(UserErrorCode.WEAK_PASSWORD);
  expect(result.error.field).toEqual(['input', 'password']);
  return result.error.message;
}

describe('checkPasswordStrength', () => {
  it('asks for 10 to 200 characters', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(10);
    expect(MAX_PASSWORD_LENGTH).toBe(200);
  });

  it('accepts exactly the minimum and exactly the maximum', () => {
    expect(checkPasswordStrength('a'.repeat(10))).toEqual({ ok: true, value: 'a'.repeat(10) });
    expect(checkPasswordStrength('a'.repeat(200)).ok).toBe(true);
    expect(checkPasswordStrength('correct horse battery staple').ok).toBe(true);
  });

  it('refuses one short of the minimum and the empty password', () => {
    expect(refusal('a'.repeat(9))).toBe('Choose a password of at least 10 characters.');
    expect(refusal('')).toBe('Choose a password of at least 10 characters.');
  });

  it('refuses one over the maximum, and huge inputs', () => {
    expect(refusal('a'.repeat(201))).toBe('Use at most 200 characters.');
    expect(refusal('a'.repeat(1_000_000))).toBe('Use at most 200 characters.');
  });

  it('counts characters, not UTF-16 units', () => {
    // Each emoji is one character written with two UTF-16 units.
    expect(refusal('😀'.repeat(5))).toBe('Choose a password of at least 10 characters.');
    expect(checkPasswordStrength('😀'.repeat(10)).ok).toBe(true);
    expect(checkPasswordStrength('😀'.repeat(200)).ok).toBe(true);
    expect(refusal('😀'.repeat(201))).toBe('Use at most 200 characters.');
    expect(checkPasswordStrength('contraseña').ok).toBe(true);
  });
});
