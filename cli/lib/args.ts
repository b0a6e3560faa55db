/*
 * Command-line option parsing shared by the subcommands: POSIX-style short flags that may be
 * combined (-lR), their long spellings (--recursive), `--` to end the options, and `--help`.
 * Anything else that starts with '-' (except a lone '-') is a UsageError, which the dispatcher
 * turns into the command's usage and exit status 2.
 */
import { UsageError } from '../io.js';

export interface FlagSpec {
  /** Short flags without values, e.g. 'lRa'. */
  flags: string;
  /** Long spellings of short flags: { recursive: 'R' }. */
  long?: Record<string, string>;
}

export interface ParsedArgs {
  /** The short flags given (long ones mapped to their short letter). */
  flags: Set<string>;
  /** Everything that is not an option, in order. */
  operands: string[];
  /** True when --help was given (nothing else is checked then). */
  help: boolean;
}

export function parseArgs(args: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags = new Set<string>();
  const operands: string[] = [];
  let optionsDone = false;
  for (const a of args) {
    if (optionsDone || a === '-' || !a.startsWith('-')) {
      operands.push(a);
      continue;
    }
    if (a === '--') {
      optionsDone = true;
      continue;
    }
    if (a === '--help') return { flags, operands, help: true };
    if (a.startsWith('--')) {
      const short = spec.long?.[a.slice(2)];
      if (short === undefined) throw new UsageError(`unknown option ${a}`);
      flags.add(short);
      continue;
    }
    for (const c of a.slice(1)) {
      if (!spec.flags.includes(c)) throw new UsageError(`unknown option -${c}`);
      flags.add(c);
    }
  }
  return { flags, operands, help: false };
}

/** The usage text a command prints for --help: its usage line and a description. */
export function helpText(usage: string, description: string): string {
  return `usage: ${usage}\n\n${description.trim()}\n`;
}
