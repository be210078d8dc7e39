import { BadInputError } from '@refunds/domain';
import { decodeCursor, encodeCursor, pageSize } from './pagination';

const forged = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');
const ID = '0b6f4a43-2f5e-4a57-9e0f-6a1f5d9f3c11';

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote, part by part', () => {
    const cursor = encodeCursor(['2026-11-21T09:30:00.123456Z', 3, ID]);
    expect(decodeCursor(cursor, ['instant', 'int', 'uuid'])).toEqual([
      '2026-11-21T09:30:00.123456Z',
      3,
      ID,
    ]);
    expect(decodeCursor(encodeCursor(['kofi mensah', ID]), ['text', 'uuid'])).toEqual([
      'kofi mensah',
      ID,
    ]);
    expect(decodeCursor(encodeCursor(['9223372036854775807']), ['seq'])).toEqual([
      '9223372036854775807',
    ]);
    expect(decodeCursor(encodeCursor([42]), ['seq'])).toEqual(['42']);
  });

  it('treats no cursor as the first page', () => {
    expect(decodeCursor(null, ['seq'])).toBeNull();
    expect(decodeCursor(undefined, ['seq'])).toBeNull();
    expect(decodeCursor('', ['seq'])).toBeNull();
  });

  it.each([
    ['not base64 json', 'x'],
    ['too few values', forged([ID])],
    ['too many values', forged(['a', ID, 1])],
    ['an object', forged({ 0: 'a', 1: ID })],
    ['a malformed uuid', forged(['a', 'not-a-uuid'])],
    ['a number for a uuid', forged(['a', 7])],
    ['NUL in the text', forged(['a\u0000', ID])],
    ['a lone surrogate in the text', forged(['\uD800', ID])],
    ['a huge text', forged(['a'.repeat(5_000), ID])],
    ['an object for the text', forged([{ a: 1 }, ID])],
  ])('refuses %s (text, uuid)', (_what, cursor) => {
    expect(() => decodeCursor(cursor, ['text', 'uuid'])).toThrow(BadInputError);
  });

  it.each([
    ['a seq past int8', forged(['9223372036854775808'])],
    ['a negative seq', forged(['-1'])],
    ['a fractional seq', forged([1.5])],
    ['a seq with letters', forged(['12a'])],
    ['an unsafe integer seq', forged([2 ** 60])],
  ])('refuses %s (seq)', (_what, cursor) => {
    expect(() => decodeCursor(cursor, ['seq'])).toThrow(BadInputError);
  });

  it.each([
    ['a rolled-over day', forged(['2026-02-30T00:00:00Z', 1, ID])],
    ['year 0', forged(['0000-01-01T00:00:00Z', 1, ID])],
    ['a date without zone', forged(['2026-11-21T09:30:00', 1, ID])],
    ['an int past int4', forged(['2026-11-21T09:30:00Z', 2 ** 31, ID])],
    ['a fractional rank', forged(['2026-11-21T09:30:00Z', 0.5, ID])],
    ['a string rank', forged(['2026-11-21T09:30:00Z', '1', ID])],
  ])('refuses %s (instant, int, uuid)', (_what, cursor) => {
    expect(() => decodeCursor(cursor, ['instant', 'int', 'uuid'])).toThrow(BadInputError);
  });

  it('still checks values when only the arity is given', () => {
    expect(decodeCursor(encodeCursor(['a', 1]), 2)).toEqual(['a', 1]);
    expect(() => decodeCursor(forged(['a\u0000', 1]), 2)).toThrow(BadInputError);
    expect(() => decodeCursor(forged([null, 1]), 2)).toThrow(BadInputError);
    expect(() => decodeCursor(forged([1e300, 1]), 2)).toThrow(BadInputError);
  });
});

describe('pageSize', () => {
  it.each([0, -1, 101, 1.5, Number.MAX_SAFE_INTEGER])('refuses first = %p', (first) => {
    expect(() => pageSize(first)).toThrow(BadInputError);
  });
  it('defaults to 20 and accepts 1 to 100', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(100)).toBe(100);
  });
});
