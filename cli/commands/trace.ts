/*
 * sonfs trace show FILE [--json]: a recorded trace (sonfs --trace FILE <command>) as a timeline
 * with an RPC summary (trace/show.ts), or as JSON for tools. Reads no network. A truncated trace
 * (a crash while recording) is shown up to its last complete record, with a warning; input that
 * is not a sonfs trace is an error (exit 1).
 */
import { readTrace, showJson, showText } from '../../trace/index.js';
import { helpText, parseArgs } from '../lib/args.js';
import { isClosedOutput, write } from '../lib/output.js';
import { UsageError } from '../io.js';
import type { Command } from '../io.js';

const USAGE = 'sonfs trace show [--json] FILE';
const DESCRIPTION = `
Print a trace recorded with 'sonfs --trace FILE <command>': one line per socket call, upcall,
sleep and wakeup (sequence, seconds since the start, socket, call, arguments, result, and the
RPC messages the bytes carried), then ONC-RPC service response times per procedure.
  --json   the same as one JSON document (bytes in base64), for tools
`;

export const trace: Command = {
  summary: 'show a recorded socket/RPC trace (trace show FILE)',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === '--help') {
      io.stdout.write(helpText(USAGE, DESCRIPTION));
      return 0;
    }
    if (sub !== 'show') throw new UsageError(sub === undefined ? 'missing subcommand (show)' : `unknown subcommand '${sub}'`);
    const a = parseArgs(rest, { flags: 'j', long: { json: 'j' } });
    if (a.help) {
      io.stdout.write(helpText(USAGE, DESCRIPTION));
      return 0;
    }
    if (a.operands.length !== 1) throw new UsageError('expected one trace file');
    const file = a.operands[0]!;
    let t;
    try {
      t = readTrace(file);
    } catch (e) {
      io.stderr.write(`sonfs trace: ${file}: ${(e as Error).message}\n`);
      return 1;
    }
    try {
      await write(io.stdout, a.flags.has('j') ? showJson(t) : showText(t));
    } catch (e) {
      if (isClosedOutput(e)) return 0;
      throw e;
    }
    if (t.truncated !== null && !a.flags.has('j')) io.stderr.write(`sonfs trace: ${file}: truncated: ${t.truncated.reason}\n`);
    return 0;
  },
};
