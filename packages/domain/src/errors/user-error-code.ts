/**
 * The stable codes of the public contract's `UserErrorCode`. Third parties switch on these, so a
 * code is never renamed; a new failure gets a new code.
 */
export const UserErrorCode = {
  NOT_FOUND: 'NOT_FOUND',
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  INVALID_STATE: 'INVALID_STATE',
  QUOTE_NOT_PAID: 'QUOTE_NOT_PAID',
  ALREADY_REFUNDED: 'ALREADY_REFUNDED',
  NOT_REFUNDABLE: 'NOT_REFUNDABLE',
  AMOUNT_EXCEEDS_REFUNDABLE: 'AMOUNT_EXCEEDS_REFUNDABLE',
  AMOUNT_EXCEEDS_OUTSTANDING: 'AMOUNT_EXCEEDS_OUTSTANDING',
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  WEAK_PASSWORD: 'WEAK_PASSWORD',
  LAST_OWNER: 'LAST_OWNER',
  INVALID_URL: 'INVALID_URL',
} as const;
export type UserErrorCode = (typeof UserErrorCode)[keyof typeof UserErrorCode];

/** The sentence shown when a rule has nothing more specific to say. */
export const defaultUserErrorMessage: Record<UserErrorCode, string> = {
  NOT_FOUND: 'We could not find that. It may have been removed, or the link is wrong.',
  INVALID_AMOUNT: 'Enter a valid amount.',
  CURRENCY_MISMATCH: 'The currency does not match. Use the business currency.',
  INVALID_STATE: 'That action is not possible in the current state.',
  QUOTE_NOT_PAID: 'Only a paid invoice can be refunded. Mark it paid first.',
  ALREADY_REFUNDED: 'This has already been refunded.',
  NOT_REFUNDABLE: 'This entry cannot be refunded.',
  AMOUNT_EXCEEDS_REFUNDABLE: 'The amount is more than what can still be refunded.',
  AMOUNT_EXCEEDS_OUTSTANDING: 'The amount is more than what is outstanding.',
  INSUFFICIENT_BALANCE: 'The balance is too low for this.',
  IDEMPOTENCY_KEY_REUSED:
    'This idempotency key was already used for a different request. Use a new key.',
  EMAIL_TAKEN: 'An account with this email already exists. Log in instead.',
  INVALID_CREDENTIALS: 'The email or password is not right.',
  WEAK_PASSWORD: 'Choose a password of at least 10 characters.',
  LAST_OWNER: 'The business must keep at least one owner. Make someone else an owner first.',
  INVALID_URL:
    'Enter a public https address. Private, loopback and link-local addresses are refused.',
};
