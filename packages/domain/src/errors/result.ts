import type { DomainError } from './domain-error';

/** What a rule returns: a decision, or the reason it refuses. */
export type Result<T, E extends Error = DomainError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const fail = <E extends Error>(error: E): { readonly ok: false; readonly error: E } => ({
  ok: false,
  error,
});

/** For services: a refusal is thrown, which rolls the transaction back and reaches the mapper. */
export function unwrap<T, E extends Error>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw result.error;
}
