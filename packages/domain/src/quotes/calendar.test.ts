import fc from 'fast-check';
import { addDays, localDate, localMonth, startOfLocalDay, startOfLocalMonth } from './calendar';

describe('business-local calendar', () => {
  it('reads the date in the business zone, not UTC', () => {
    const instant = new Date('2026-03-01T03:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2026-03-01');
    expect(localDate(instant, 'America/New_York')).toBe('2026-02-28');
    expect(localMonth(instant, 'America/New_York')).toBe('2026-02');
    expect(localDate(new Date('2026-02-28T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-03-01');
  });

  it('adds calendar days across months, years and leap days', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-14', -13)).toBe('2026-01-01');
  });

  it('finds local midnight as an instant', () => {
    expect(startOfLocalDay('2026-03-14', 'Africa/Accra').toISOString()).toBe(
      '2026-03-14T00:00:00.000Z',
    );
    expect(startOfLocalDay('2026-07-01', 'America/New_York').toISOString()).toBe(
      '2026-07-01T04:00:00.000Z',
    );
    expect(startOfLocalDay('2026-01-01', 'America/New_York').toISOString()).toBe(
      '2026-01-01T05:00:00.000Z',
    );
    expect(startOfLocalDay('2026-01-01', 'Asia/Kolkata').toISOString()).toBe(
      '2025-12-31T18:30:00.000Z',
    );
  });

  it('handles the days daylight saving begins and ends', () => {
    // New York springs forward at 02:00 on 2026-03-08: midnight still exists, at UTC-5.
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    // ... and falls back on 2026-11-01: midnight is at UTC-4.
    expect(startOfLocalDay('2026-11-01', 'America/New_York').toISOString()).toBe(
      '2026-11-01T04:00:00.000Z',
    );
    // Santiago skipped midnight on 2022-09-11 (00:00 became 01:00): the day starts at 01:00 local.
    const start = startOfLocalDay('2022-09-11', 'America/Santiago');
    expect(start.toISOString()).toBe('2022-09-11T04:00:00.000Z');
    expect(localDate(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2022-09-10');
  });

  it('finds the start of the local month', () => {
    expect(
      startOfLocalMonth(new Date('2026-03-01T03:30:00Z'), 'America/New_York').toISOString(),
    ).toBe('2026-02-01T05:00:00.000Z');
  });

  it('property: the start of a day is in that day and the instant before it is not', () => {
    const zones = [
      'UTC',
      'Africa/Accra',
      'Africa/Lagos',
      'America/New_York',
      'America/Sao_Paulo',
      'America/Santiago',
      'Europe/London',
      'Europe/Berlin',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Pacific/Apia',
    ];
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2040-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...zones),
        (instant, zone) => {
          const date = localDate(instant, zone);
          const start = startOfLocalDay(date, zone);
          expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(localDate(start, zone)).toBe(date);
          expect(localDate(new Date(start.getTime() - 1), zone)).toBe(addDays(date, -1));
        },
      ),
      { numRuns: 500 },
    );
  });
});
