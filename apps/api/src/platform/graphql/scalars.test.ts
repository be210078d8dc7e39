import { GraphQLError, Kind } from 'graphql';
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
    // Days JavaScript's Date would roll over into the next month.
    '2026-02-30T09:30:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-11-21T24:00:00Z',
    '2026-11-21T09:60:00Z',
    '2026-11-21T09:30:60Z',
    '2026-11-21T09:30:00+24:00',
    // Outside the years a business date can have.
    '0000-01-01T00:00:00Z',
    '1899-12-31T23:59:59Z',
    '2201-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '2026-11-21T09:30:00Z\u0000',
    ' 2026-11-21T09:30:00Z',
    '２０２６-11-21T09:30:00Z',
    { toString: () => '2026-11-21T09:30:00Z' },
    null,
  ])('refuses %p as BAD_USER_INPUT', (value) => {
    expect(codeOf(() => DateTimeScalar.parseValue(value))).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['1900-01-01T00:00:00Z', '1900-01-01T00:00:00.000Z'],
    ['2200-12-31T23:59:59.999999Z', '2200-12-31T23:59:59.999Z'],
    ['2026-11-21T09:30Z', '2026-11-21T09:30:00.000Z'],
    ['2026-11-21T23:30:00-05:30', '2026-11-22T05:00:00.000Z'],
  ])('accepts %s', (value, utc) => {
    expect(DateTimeScalar.serialize(DateTimeScalar.parseValue(value))).toBe(utc);
  });

  it('is as strict for literals as for variables', () => {
    const literal = { kind: Kind.STRING, value: '2026-02-30T09:30:00Z' } as const;
    expect(codeOf(() => DateTimeScalar.parseLiteral(literal))).toBe('BAD_USER_INPUT');
  });
});
