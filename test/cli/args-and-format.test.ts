import { describe, expect, test } from 'vitest';
import { UsageError } from '../../cli/io.js';
import { parseArgs } from '../../cli/lib/args.js';
import { columns, humanSize, lsDate, modeString, statTime, typeName } from '../../cli/lib/format.js';

describe('parseArgs', () => {
  test('combined short flags, long spellings, operands in order, -- ends the options', () => {
    const a = parseArgs(['-lR', 'x', '--all', '--', '-y', '-'], { flags: 'lRa', long: { all: 'a' } });
    expect([...a.flags].sort()).toEqual(['R', 'a', 'l']);
    expect(a.operands).toEqual(['x', '-y', '-']);
    expect(a.help).toBe(false);
  });

  test('an unknown short or long option is a UsageError naming it', () => {
    expect(() => parseArgs(['-lx'], { flags: 'l' })).toThrow(new UsageError('unknown option -x'));
    expect(() => parseArgs(['--bogus'], { flags: 'l' })).toThrow(new UsageError('unknown option --bogus'));
  });

  test('--help wins over everything after it', () => {
    expect(parseArgs(['--help', '-z'], { flags: '' }).help).toBe(true);
  });
});

describe('formats', () => {
  test.each([
    [0o100644, '-rw-r--r--'],
    [0o040755, 'drwxr-xr-x'],
    [0o120777, 'lrwxrwxrwx'],
    [0o104755, '-rwsr-xr-x'],
    [0o102644, '-rw-r-Sr--'],
    [0o041777, 'drwxrwxrwt'],
    [0o041776, 'drwxrwxrwT'],
    [0o010600, 'prw-------'],
    [0o020660, 'crw-rw----'],
    [0o060660, 'brw-rw----'],
    [0o140755, 'srwxr-xr-x'],
  ])('mode %o is %s, as ls -l prints it', (mode, text) => {
    expect(modeString(mode)).toBe(text);
  });

  test('stat(1) type names, including the empty regular file', () => {
    expect(typeName(0o100644, 0)).toBe('regular empty file');
    expect(typeName(0o100644, 1)).toBe('regular file');
    expect(typeName(0o040755, 4096)).toBe('directory');
    expect(typeName(0o120777, 3)).toBe('symbolic link');
  });

  test('ls dates: hour and minute within six months, the year otherwise (and for the future)', () => {
    const now = new Date(2024, 5, 15, 12, 0).getTime();
    expect(lsDate(new Date(2024, 5, 1, 9, 5).getTime(), now)).toBe('Jun  1 09:05');
    expect(lsDate(new Date(2020, 0, 1, 0, 0).getTime(), now)).toBe('Jan  1  2020');
    expect(lsDate(new Date(2025, 0, 11, 0, 0).getTime(), now)).toBe('Jan 11  2025');
  });

  test('stat times carry nanoseconds and the UTC offset', () => {
    const t = statTime(1_577_836_800_123_456_789n);
    expect(t).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123456789 [+-]\d{4}$/);
  });

  test.each([
    [0, '0'],
    [1000, '1000'],
    [1024, '1.0K'],
    [1536, '1.5K'],
    [10 * 1024, '10K'],
    [1024 * 1024 - 1, '1.0M'],
    [17 * 1024 * 1024 + 1, '18M'],
    [12.3 * 1024 ** 3, '13G'],
    [1.01 * 1024 ** 4, '1.1T'],
  ])('df -h shows %d bytes as %s (powers of 1024, rounded up)', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });

  test('columns right-align numbers and left-align the chosen columns', () => {
    expect(columns([['a', '1', 'x'], ['bbb', '100', 'yy']], new Set([0, 2]))).toEqual(['a     1 x', 'bbb 100 yy']);
  });
});
