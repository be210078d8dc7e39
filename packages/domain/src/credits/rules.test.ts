import { BadInputError, type DomainError, type Result, UserErrorCode } from '../errors';
import { MAX_CREDITS, parseCredits, parsePositiveCredits } from '../money';
import {
  creditBalanceOf,
  CreditTransactionKind,
  isContinuousChain,
  refundableCredits,
  refundedCreditsOf,
  reversedIdsOf,
  type CreditEntry,
} from './ledger';
import {
  decideAdjustment,
  decideMoneyRefundCorrection,
  decidePurchase,
  decideRefund,
  decideReversal,
  decideSpend,
  MAX_CREDIT_BALANCE,
  normalizeCreditNote,
  requireCorrectionComment,
} from './rules';

function errorOf<T>(result: Result<T>): DomainError {
  if (result.ok) throw new Error(`expected a refusal, got ${String(result.value)}`);
  return result.error;
}

function valueOf<T, E extends Error>(result: Result<T, E>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

const spend = (credits: bigint, reversed = false) =>
  ({ kind: CreditTransactionKind.SPEND, credits: -credits, reversed }) as const;

describe('decidePurchase', () => {
  it('adds a positive PURCHASE entry', () => {
    expect(valueOf(decidePurchase(5n, 20n))).toEqual({
      kind: 'PURCHASE',
      credits: 20n,
      balanceAfter: 25n,
    });
  });

  it.each([0n, -1n, MAX_CREDITS + 1n])('refuses %s credits with INVALID_AMOUNT', (credits) => {
    const error = errorOf(decidePurchase(0n, credits));
    expect(error.code).toBe(UserErrorCode.INVALID_AMOUNT);
    expect(error.field).toEqual(['input', 'credits']);
  });

  it('refuses a purchase that would take the balance past the bound', () => {
    expect(errorOf(decidePurchase(MAX_CREDIT_BALANCE, 1n)).code).toBe(UserErrorCode.INVALID_AMOUNT);
  });
});

describe('decideSpend', () => {
  it('adds a negative SPEND entry', () => {
    expect(valueOf(decideSpend(30n, 25n))).toEqual({
      kind: 'SPEND',
      credits: -25n,
      balanceAfter: 5n,
    });
  });

  it('may spend the whole balance, leaving zero', () => {
    expect(valueOf(decideSpend(7n, 7n)).balanceAfter).toBe(0n);
  });

  it('never takes the balance below zero', () => {
    const error = errorOf(decideSpend(7n, 8n));
    expect(error.code).toBe(UserErrorCode.INSUFFICIENT_BALANCE);
    expect(error.message).toBe('The balance is 7 credits: not enough to spend 8 credits.');
  });

  it.each([0n, -3n])('refuses %s credits', (credits) => {
    expect(errorOf(decideSpend(10n, credits)).code).toBe(UserErrorCode.INVALID_AMOUNT);
  });
});

describe('decideRefund', () => {
  it('refunds everything still refundable by default', () => {
    expect(
      valueOf(decideRefund({ target: spend(25n), refundedCredits: 10n, balance: 3n })),
    ).toEqual({ kind: 'REFUND', credits: 15n, balanceAfter: 18n });
  });

  it('refunds part of a spend when credits are given', () => {
    expect(
      valueOf(decideRefund({ target: spend(25n), refundedCredits: 0n, balance: 0n, credits: 5n })),
    ).toEqual({ kind: 'REFUND', credits: 5n, balanceAfter: 5n });
  });

  it('may refund exactly what is left', () => {
    const decision = decideRefund({
      target: spend(25n),
      refundedCredits: 24n,
      balance: 0n,
      credits: 1n,
    });
    expect(valueOf(decision).credits).toBe(1n);
  });

  it('never refunds beyond the spend: AMOUNT_EXCEEDS_REFUNDABLE', () => {
    const error = errorOf(
      decideRefund({ target: spend(25n), refundedCredits: 20n, balance: 0n, credits: 6n }),
    );
    expect(error.code).toBe(UserErrorCode.AMOUNT_EXCEEDS_REFUNDABLE);
    expect(error.message).toBe('Only 5 credits of this spend can still be refunded.');
    expect(error.field).toEqual(['input', 'credits']);
  });

  it('refuses an explicit amount once nothing is left: AMOUNT_EXCEEDS_REFUNDABLE', () => {
    const error = errorOf(
      decideRefund({ target: spend(25n), refundedCredits: 25n, balance: 0n, credits: 1n }),
    );
    expect(error.code).toBe(UserErrorCode.AMOUNT_EXCEEDS_REFUNDABLE);
  });

  it('refuses the default amount once nothing is left: ALREADY_REFUNDED', () => {
    const error = errorOf(decideRefund({ target: spend(25n), refundedCredits: 25n, balance: 0n }));
    expect(error.code).toBe(UserErrorCode.ALREADY_REFUNDED);
  });

  it.each([
    [CreditTransactionKind.PURCHASE, 10n],
    [CreditTransactionKind.REFUND, 10n],
    [CreditTransactionKind.ADJUSTMENT, -10n],
    [CreditTransactionKind.ADJUSTMENT, 10n],
  ])('refuses to refund a %s entry (%s): NOT_REFUNDABLE', (kind, credits) => {
    const error = errorOf(
      decideRefund({
        target: { kind, credits, reversed: false },
        refundedCredits: 0n,
        balance: 50n,
      }),
    );
    expect(error.code).toBe(UserErrorCode.NOT_REFUNDABLE);
    expect(error.field).toEqual(['input', 'transactionId']);
  });

  it('tells a purchase refund to go through a correction and the payment system', () => {
    const error = errorOf(
      decideRefund({
        target: { kind: 'PURCHASE', credits: 10n, reversed: false },
        refundedCredits: 0n,
        balance: 10n,
      }),
    );
    expect(error.message).toMatch(/negative correction/);
  });

  it.each([0n, -1n])('refuses %s credits: INVALID_AMOUNT', (credits) => {
    const error = errorOf(
      decideRefund({ target: spend(25n), refundedCredits: 0n, balance: 0n, credits }),
    );
    expect(error.code).toBe(UserErrorCode.INVALID_AMOUNT);
  });

  it('refuses a deleted target: INVALID_STATE', () => {
    const error = errorOf(
      decideRefund({ target: spend(5n, true), refundedCredits: 0n, balance: 0n }),
    );
    expect(error.code).toBe(UserErrorCode.INVALID_STATE);
  });

  describe('with the amount the caller believes is already refunded', () => {
    it('goes ahead when it is current', () => {
      const decision = decideRefund({
        target: spend(25n),
        refundedCredits: 10n,
        balance: 0n,
        credits: 5n,
        expectedRefundedCredits: 10n,
      });
      expect(valueOf(decision).credits).toBe(5n);
    });

    it('refuses when it is stale, so an old screen cannot refund twice', () => {
      const error = errorOf(
        decideRefund({
          target: spend(25n),
          refundedCredits: 15n,
          balance: 15n,
          expectedRefundedCredits: 0n,
        }),
      );
      expect(error.code).toBe(UserErrorCode.INVALID_STATE);
      expect(error.field).toEqual(['input', 'expectedRefundedCredits']);
      expect(error.message).toMatch(/15 credits of this spend have been refunded meanwhile/);
    });

    it('ignores a null expectation', () => {
      const decision = decideRefund({
        target: spend(25n),
        refundedCredits: 15n,
        balance: 0n,
        expectedRefundedCredits: null,
      });
      expect(valueOf(decision).credits).toBe(10n);
    });
  });
});

describe('decideAdjustment', () => {
  it('adds a positive correction', () => {
    expect(valueOf(decideAdjustment(0n, 12n))).toEqual({
      kind: 'ADJUSTMENT',
      credits: 12n,
      balanceAfter: 12n,
    });
  });

  it('removes credits down to zero, never below', () => {
    expect(valueOf(decideAdjustment(100n, -100n)).balanceAfter).toBe(0n);
    const error = errorOf(decideAdjustment(100n, -101n));
    expect(error.code).toBe(UserErrorCode.INSUFFICIENT_BALANCE);
    expect(error.message).toBe(
      'The balance is 100 credits: a correction can remove at most 100 credits.',
    );
  });

  it('refuses a zero correction', () => {
    expect(errorOf(decideAdjustment(10n, 0n)).code).toBe(UserErrorCode.INVALID_AMOUNT);
  });

  it.each([MAX_CREDITS + 1n, -(MAX_CREDITS + 1n)])('refuses the oversized %s', (credits) => {
    expect(errorOf(decideAdjustment(MAX_CREDITS * 2n, credits)).code).toBe(
      UserErrorCode.INVALID_AMOUNT,
    );
  });
});

describe('decideMoneyRefundCorrection (seed example #2)', () => {
  it('removes the whole balance, leaving zero', () => {
    expect(valueOf(decideMoneyRefundCorrection(140n))).toEqual({
      kind: 'ADJUSTMENT',
      credits: -140n,
      balanceAfter: 0n,
    });
  });

  it('has nothing to remove from an empty wallet', () => {
    expect(errorOf(decideMoneyRefundCorrection(0n)).code).toBe(UserErrorCode.INSUFFICIENT_BALANCE);
  });
});

describe('decideReversal', () => {
  const refund = (credits: bigint, reversed = false) =>
    ({ kind: CreditTransactionKind.REFUND, credits, reversed }) as const;
  const adjustment = (credits: bigint, reversed = false) =>
    ({ kind: CreditTransactionKind.ADJUSTMENT, credits, reversed }) as const;

  it('undoes a refund with a REVERSAL entry of minus its credits', () => {
    expect(valueOf(decideReversal(refund(10n), 12n))).toEqual({
      kind: 'REVERSAL',
      credits: -10n,
      balanceAfter: 2n,
    });
  });

  it('undoes a negative correction by giving the credits back', () => {
    expect(valueOf(decideReversal(adjustment(-40n), 0n))).toEqual({
      kind: 'REVERSAL',
      credits: 40n,
      balanceAfter: 40n,
    });
  });

  it('refuses when the balance cannot cover the reversal', () => {
    const error = errorOf(decideReversal(refund(10n), 9n));
    expect(error.code).toBe(UserErrorCode.INSUFFICIENT_BALANCE);
    expect(error.message).toBe(
      'Deleting this entry would remove 10 credits, but the balance is 9 credits.',
    );
  });

  it('refuses an entry already reversed: INVALID_STATE', () => {
    expect(errorOf(decideReversal(adjustment(5n, true), 100n)).code).toBe(
      UserErrorCode.INVALID_STATE,
    );
  });

  it('refuses to reverse a reversal: INVALID_STATE', () => {
    const error = errorOf(
      decideReversal({ kind: CreditTransactionKind.REVERSAL, credits: -10n, reversed: false }, 50n),
    );
    expect(error.code).toBe(UserErrorCode.INVALID_STATE);
    expect(error.message).toMatch(/reversal cannot be deleted/);
  });

  it.each([
    { kind: CreditTransactionKind.PURCHASE, credits: 10n, reversed: false },
    { kind: CreditTransactionKind.SPEND, credits: -10n, reversed: false },
  ])('refuses to delete a $kind: INVALID_STATE', (target) => {
    const error = errorOf(decideReversal(target, 100n));
    expect(error.code).toBe(UserErrorCode.INVALID_STATE);
    expect(error.field).toEqual(['input', 'transactionId']);
  });
});

describe('the ledger', () => {
  const entries: CreditEntry[] = [
    { id: 'p', kind: 'PURCHASE', credits: 100n, reversed: false },
    { id: 's', kind: 'SPEND', credits: -25n, reversed: false },
    { id: 'r1', kind: 'REFUND', credits: 10n, refundOfId: 's', reversed: false },
    { id: 'r2', kind: 'REFUND', credits: 5n, refundOfId: 's', reversed: true },
    { id: 'a', kind: 'ADJUSTMENT', credits: -20n, reversed: false },
    { id: 'v', kind: 'REVERSAL', credits: -5n, reversesId: 'r2', reversed: false },
  ];

  it('balances to the sum of every entry, reversals cancelling what they undo', () => {
    expect(creditBalanceOf(entries)).toBe(100n - 25n + 10n + 5n - 20n - 5n);
  });

  it('derives reversed entries from the reversals', () => {
    expect([...reversedIdsOf(entries)]).toEqual(['r2']);
  });

  it('counts only refunds that no reversal undid against their spend', () => {
    expect(refundedCreditsOf('s', entries)).toBe(10n);
    expect(refundableCredits(entries[1]!, 10n)).toBe(15n);
  });

  it('shows zero refundable on anything but a spend', () => {
    expect(refundableCredits(entries[0]!, 0n)).toBe(0n);
    expect(refundableCredits(entries[4]!, 0n)).toBe(0n);
    expect(refundableCredits(entries[5]!, 0n)).toBe(0n);
  });

  it('checks the balance-after chain: each the one before plus its credits, the newest the wallet', () => {
    const chain = [
      { credits: 10n, balanceAfter: 10n },
      { credits: 5n, balanceAfter: 15n },
      { credits: -5n, balanceAfter: 10n },
    ];
    expect(isContinuousChain(chain, 10n)).toBe(true);
    expect(isContinuousChain(chain, 15n)).toBe(false);
    expect(isContinuousChain([chain[0]!, chain[2]!], 5n)).toBe(false);
  });
});

describe('free text', () => {
  it('trims optional notes and turns empty into null', () => {
    expect(valueOf(normalizeCreditNote('  webcam broken ', ['input', 'reason']))).toBe(
      'webcam broken',
    );
    expect(valueOf(normalizeCreditNote('   ', ['input', 'reason']))).toBeNull();
    expect(valueOf(normalizeCreditNote(undefined, ['input', 'reason']))).toBeNull();
  });

  it('refuses an over-long note as bad input', () => {
    const result = normalizeCreditNote('x'.repeat(501), ['input', 'description']);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(BadInputError);
      expect(result.error.field).toEqual(['input', 'description']);
    }
  });

  it('requires a comment on a correction', () => {
    expect(valueOf(requireCorrectionComment(' refund to card '))).toBe('refund to card');
    const result = requireCorrectionComment('  ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.field).toEqual(['input', 'comment']);
  });
});

describe('amounts on the wire (the money functions these rules rely on)', () => {
  it.each(['2.5', '1e3', '-0', '+3', ' 4', '', '0x10', '١٢', '10000000000000'])(
    'parsePositiveCredits refuses %j',
    (input) => {
      const result = parsePositiveCredits(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
    },
  );

  it('parseCredits reads a signed correction only when asked', () => {
    expect(valueOf(parseCredits('-10', { allowNegative: true }))).toBe(-10n);
    expect(parseCredits('-10').ok).toBe(false);
  });
});
