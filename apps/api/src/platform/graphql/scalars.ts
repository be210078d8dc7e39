import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { MAX_DECIMAL_INPUT_LENGTH } from '@refunds/domain';
import { MAX_INSTANT_YEAR, MIN_INSTANT_YEAR, parseIsoInstant } from '../instant';

const badInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

// The shape only; how many decimals a value may have depends on its currency, which the domain
// checks (INVALID_AMOUNT) once it knows the currency.
const DECIMAL_SHAPE = /^-?[0-9]+(\.[0-9]+)?$/;

function parseDecimalString(value: unknown): string {
  if (typeof value !== 'string') {
    throw badInput('A Decimal is sent as a string such as "1250.00", never as a number.');
  }
  if (value.length > MAX_DECIMAL_INPUT_LENGTH || !DECIMAL_SHAPE.test(value)) {
    throw badInput(
      `"${value.slice(0, MAX_DECIMAL_INPUT_LENGTH)}" is not a Decimal such as "1250.00".`,
    );
  }
  return value;
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'A decimal number carried as a string, e.g. "1250.00". Never a float.',
  serialize: (value) => {
    if (typeof value !== 'string')
      throw new GraphQLError('Decimal values are produced as strings.');
    return value;
  },
  parseValue: parseDecimalString,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      throw badInput('A Decimal is written as a string, e.g. "1250.00".');
    return parseDecimalString(ast.value);
  },
});

const DATETIME_HELP = `A DateTime is an ISO-8601 instant with a zone, e.g. "2026-11-21T09:30:00.000Z", in the years ${MIN_INSTANT_YEAR} to ${MAX_INSTANT_YEAR}.`;

/** Strict (no rolled-over days, a zone required, a sane year): see parseIsoInstant. */
function parseInstant(value: unknown): Date {
  const date = parseIsoInstant(value);
  if (!date) throw badInput(DATETIME_HELP);
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 instant, e.g. "2026-11-21T09:30:00.000Z".',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return new Date(value).toISOString();
    throw new GraphQLError('DateTime values are produced from dates.');
  },
  parseValue: parseInstant,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badInput('A DateTime is written as a string.');
    return parseInstant(ast.value);
  },
});
