/* The streams a command writes to, injectable so tests can capture output. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** Thrown for bad arguments: the dispatcher prints the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A subcommand. `globals` carries global options such as trace/replay file names. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo, globals: Record<string, string>): Promise<number>;
}
