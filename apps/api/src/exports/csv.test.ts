import { csvRecord, textCell, valueCell } from './csv';

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(textCell('plain')).toBe('plain');
    expect(textCell('Mensah, Kofi')).toBe('"Mensah, Kofi"');
    expect(textCell('the "big" job')).toBe('"the ""big"" job"');
    expect(textCell('two\nlines')).toBe('"two\nlines"');
    expect(textCell(null)).toBe('');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(textCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(textCell('+233 20 000')).toBe("'+233 20 000");
    expect(textCell('-5 off')).toBe("'-5 off");
    expect(textCell('@sum')).toBe("'@sum");
  });

  it('keeps our own values (negative amounts) as they are', () => {
    expect(valueCell('-12.50')).toBe('-12.50');
    expect(valueCell(undefined)).toBe('');
    expect(csvRecord(['a', 'b', ''])).toBe('a,b,\r\n');
  });
});
