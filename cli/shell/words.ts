/*
 * Splitting a shell line into words, as sh does for the simple cases: blanks separate words,
 * 'single quotes' keep everything literally, "double quotes" keep everything but \" and \\,
 * and a backslash outside quotes takes the next character literally. Nothing is expanded.
 */

export class QuoteError extends Error {
  override name = 'QuoteError';
}

/** The state of the scan at the end of a line: the words, and the last (possibly unfinished) one. */
export interface Scan {
  words: string[];
  /** The last word as typed (quotes and backslashes included); '' when the line ends in a blank. */
  raw: string;
  /** The last word's value (what it means once unquoted). */
  value: string;
  /** The quote the line ends inside, if any. */
  openQuote: "'" | '"' | null;
}

export function scan(line: string): Scan {
  const words: string[] = [];
  let value = '';
  let raw = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      raw += c;
      if (c === "'") quote = null;
      else value += c;
      continue;
    }
    if (quote === '"') {
      raw += c;
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
        raw += line[++i]!;
        value += line[i]!;
      } else value += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(value);
      inWord = false;
      value = '';
      raw = '';
      continue;
    }
    inWord = true;
    raw += c;
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') {
      if (i + 1 < line.length) {
        raw += line[++i]!;
        value += line[i]!;
      }
    } else value += c;
  }
  if (inWord) words.push(value);
  return { words, raw: inWord ? raw : '', value: inWord ? value : '', openQuote: quote };
}

/** The words of a complete line. @throws QuoteError for an unterminated quote. */
export function splitWords(line: string): string[] {
  const s = scan(line);
  if (s.openQuote !== null) throw new QuoteError(`unterminated ${s.openQuote === "'" ? 'single' : 'double'} quote`);
  return s.words;
}

const SPECIAL = /[\s'"\\$`!*?[\]{}()<>|&;#~]/g;

/** A value written so that scan() reads it back unchanged (backslashes before special characters). */
export function escapeWord(value: string): string {
  return value.replace(SPECIAL, (c) => `\\${c}`);
}
