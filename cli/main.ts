/*
 * sonfs: the command-line entry point. Each subcommand lives in cli/commands/<name>.ts and is
 * registered in cli/commands/index.ts; this file only parses the global options and dispatches,
 * loading the one command's module it runs (the command list needs none of them).
 *
 * Exit status: 0 on success, 1 when the command failed (its message on stderr), 2 on a usage error.
 */
import { commands } from './commands/index.js';
import { UsageError, type CliIo, type Command, defaultIo } from './io.js';
import { withTraceOrReplay } from './lib/trace-run.js';

function usage(): string {
  const lines = ['usage: sonfs [--trace FILE [--trace-data] | --replay FILE] <command> [args...]', '', 'commands:'];
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  for (const [name, cmd] of Object.entries(commands)) lines.push(`  ${name.padEnd(width)}  ${cmd.summary}`);
  lines.push('', "Run 'sonfs <command> --help' for a command's own usage.");
  return lines.join('\n');
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const args = [...argv];
  const globals: Record<string, string> = {};
  while (args.length > 0 && args[0]!.startsWith('--')) {
    const flag = args.shift()!;
    if (flag === '--help') {
      io.stdout.write(usage() + '\n');
      return 0;
    }
    if (flag === '--trace' || flag === '--replay') {
      const file = args.shift();
      if (file === undefined) {
        io.stderr.write(`sonfs: ${flag} needs a file name\n`);
        return 2;
      }
      globals[flag.slice(2)] = file;
      continue;
    }
    if (flag === '--trace-data') {
      globals['trace-data'] = '1';
      continue;
    }
    io.stderr.write(`sonfs: unknown option ${flag}\n${usage()}\n`);
    return 2;
  }
  const name = args.shift();
  if (name === undefined) {
    io.stderr.write(usage() + '\n');
    return 2;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (entry === undefined) {
    io.stderr.write(`sonfs: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  if (globals.trace !== undefined && globals.replay !== undefined) {
    io.stderr.write('sonfs: --trace and --replay cannot be used together\n');
    return 2;
  }
  if (globals['trace-data'] !== undefined && globals.trace === undefined) {
    io.stderr.write('sonfs: --trace-data needs --trace FILE\n');
    return 2;
  }
  let cmd: Command;
  try {
    cmd = await entry.load();
  } catch (err) {
    /* A broken install (a missing or unreadable module): say which command could not start. */
    io.stderr.write(`sonfs ${name}: cannot load the command: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
  try {
    return await withTraceOrReplay(globals, [name, ...args], io, () => cmd.run(args, io, globals));
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`sonfs ${name}: ${err.message}\nusage: ${cmd.usage}\n`);
      return 2;
    }
    const e = err as { message?: string; code?: string };
    io.stderr.write(`sonfs ${name}: ${e?.message ?? String(err)}\n`);
    return 1;
  }
}

