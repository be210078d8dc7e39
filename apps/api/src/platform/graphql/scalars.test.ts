import { GraphQLError } from 'graphql';
import { DateTimeScalar, DecimalScalar } from './scalars';

const codeOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error;
  }
  return 'accepted';
};

describe('Decimal scalar', () => {
  it.each(['0', '1250.00', '0.5', '-3', '007'])(
    'accepts the decimal string %s as it is',
    (value) => {
      expect(DecimalScalar.parseValue(value)).toBe(value);
    },
  );

  it.each([12.5, 3, '1e3', '1,000.00', '+5', ' 5', '5.', '.5', '١٢', '', 'NaN', '9'.repeat(40)])(
    'refuses %p as BAD_USER_INPUT',
    (value) => {
      expect(codeOf(() => DecimalScalar.parseValue(value))).toBe('BAD_USER_INPUT');
    },
  );
});

describe('DateTime scalar', () => {
  it('reads an ISO-8601 instant with a zone and writes it back in UTC', () => {
    const parsed = DateTimeScalar.parseValue('2026-11-21T10:30:00+01:00');
    expect(DateTimeScalar.serialize(parsed)).toBe('2026-11-21T09:30:00.000Z');
  });

  it.each([
    '2026-11-21',
    '2026-11-21T09:30:00',
    'yesterday',
    1732181400000,
    '2026-13-45T00:00:00Z',
  ])('refuses %p as BAD_USER_INPUT', (value) => {
    expect(codeOf(() => DateTimeScalar.parseValue(value))).toBe('BAD_USER_INPUT');
  });
});
