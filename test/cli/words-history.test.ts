import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { History, historyPath } from '../../cli/shell/history.js';
import { QuoteError, escapeWord, scan, splitWords } from '../../cli/shell/words.js';

describe('shell words', () => {
  test('blanks separate words; quotes and backslashes keep them together', () => {
    expect(splitWords(`cp 'a b' "c \\"d\\"" e\\ f  g`)).toEqual(['cp', 'a b', 'c "d"', 'e f', 'g']);
    expect(splitWords('   ')).toEqual([]);
  });

  test('an unterminated quote is a QuoteError', () => {
    expect(() => splitWords(`cat 'oops`)).toThrow(QuoteError);
  });

  test('scan tells the last word as typed and as meant, and an open quote', () => {
    expect(scan('cat my\\ fi')).toMatchObject({ words: ['cat', 'my fi'], raw: 'my\\ fi', value: 'my fi', openQuote: null });
    expect(scan(`cat 'my fi`)).toMatchObject({ raw: `'my fi`, value: 'my fi', openQuote: "'" });
    expect(scan('cat ')).toMatchObject({ words: ['cat'], raw: '', value: '' });
  });

  test('escapeWord writes any name so that it reads back unchanged', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), (name) => {
      expect(splitWords(`ls ${escapeWord(name)}`)).toEqual(['ls', name]);
    }));
  });
});

describe('shell history', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'sonfs-history-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  test('$SONFS_HISTORY chooses the file, else ~/.sonfs_history', () => {
    expect(historyPath({ SONFS_HISTORY: '/x/h' })).toBe('/x/h');
    expect(historyPath({ HOME: '/home/u' })).toMatch(/\.sonfs_history$/);
  });

  test('a missing file is an empty history', async () => {
    const h = new History(join(dir, 'none'));
    await h.load();
    expect(h.lines).toEqual([]);
  });

  test('keeps the last `max` commands, skipping blanks and immediate repeats, across save and load', async () => {
    const file = join(dir, 'h');
    const h = new History(file, 3);
    for (const l of ['ls', 'ls', '  ', 'cd a', 'cat x', 'pwd']) h.add(l);
    expect(h.lines).toEqual(['cd a', 'cat x', 'pwd']);
    await h.save();
    expect(await readFile(file, 'utf8')).toBe('cd a\ncat x\npwd\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = new History(file, 2);
    await again.load();
    expect(again.lines).toEqual(['cat x', 'pwd']);
  });

  test('a long existing file is cut to the bound when loaded', async () => {
    const file = join(dir, 'h');
    await writeFile(file, Array.from({ length: 5000 }, (_, i) => `cmd ${i}`).join('\n'));
    const h = new History(file);
    await h.load();
    expect(h.lines.length).toBe(1000);
    expect(h.lines.at(-1)).toBe('cmd 4999');
  });
});
