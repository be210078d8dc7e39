/**
 * Input that is malformed rather than refused by a rule: an unknown country code, a time zone that
 * does not exist. The API reports it as a GraphQL error with `extensions.code` BAD_USER_INPUT, as
 * the contract asks for malformed input.
 */
export class BadInputError extends Error {
  readonly field: readonly string[];

  constructor(message: string, field: readonly string[] = []) {
    super(message);
    this.name = 'BadInputError';
    this.field = field;
  }
}
