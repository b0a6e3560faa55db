/*
 * The global options --trace FILE [--trace-data] and --replay FILE around one command.
 *
 * --trace: the whole command (export listing, mounts, the work, unmounts) is recorded to FILE;
 * with --trace-data every byte moved is kept, which replay needs (docs/trace.md, "Privacy").
 * --replay: FILE must be such a trace of the same command; it runs with every inet socket
 * playing the recording back (no server is contacted). A divergence — the command asking for
 * something the recording does not have — fails the command with a message naming the first
 * recorded event that differs (from then on every RPC call is answered with SYSTEM_ERR, so the
 * command ends at once and closes its mounts; the message is printed once it has).
 */
import type { CliIo } from '../io.js';

/* trace/ (and protobufjs with it) is loaded only when a command is traced or replayed: a plain
 * command does not pay its load time. */

/** How long a diverged command is given to wind down (close its mounts) before the error is reported. */
const WIND_DOWN_MS = 10_000;

export async function withTraceOrReplay(
  globals: Readonly<Record<string, string>>, argv: string[], io: CliIo, run: () => Promise<number>,
): Promise<number> {
  if (globals.trace !== undefined) {
    const { startTrace } = await import('../../trace/index.js');
    const t = startTrace(globals.trace, { payloads: globals['trace-data'] !== undefined, argv: ['sonfs', ...argv] });
    let code: number;
    try {
      code = await run();
    } finally {
      t.stop();
    }
    return code;
  }
  if (globals.replay === undefined) return run();

  const file = globals.replay;
  const { readTrace, TraceFormatError, ReplayError, startReplay } = await import('../../trace/index.js');
  let trace;
  try {
    trace = readTrace(file);
  } catch (e) {
    const why = e instanceof TraceFormatError ? e.message : (e as Error).message;
    io.stderr.write(`sonfs: --replay ${file}: ${why}\n`);
    return 1;
  }
  const recorded = trace.header?.argv ?? [];
  const now = ['sonfs', ...argv];
  if (recorded.length > 0 && recorded.join('\0') !== now.join('\0')) {
    io.stderr.write(`sonfs: --replay ${file}: the trace recorded '${recorded.join(' ')}', not '${now.join(' ')}': ` +
      'replay reruns the recorded command\n');
    return 2;
  }
  if (trace.truncated !== null) io.stderr.write(`sonfs: --replay ${file}: warning: ${trace.truncated.reason}; replaying what is there\n`);
  let handle;
  try {
    handle = startReplay(trace);
  } catch (e) {
    if (!(e instanceof ReplayError)) throw e;
    io.stderr.write(`sonfs: --replay ${file}: ${e.message}\n`);
    return 1;
  }
  const session = handle.session;
  try {
    const running = run();
    const first = await Promise.race([running.then((code) => ({ code })), session.diverged.then((d) => ({ d }))]);
    if ('d' in first) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        running.catch(() => 1),
        new Promise((resolve) => {
          timer = setTimeout(resolve, WIND_DOWN_MS);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      io.stderr.write(`sonfs: --replay ${file}: ${first.d.message}\n`);
      return 1;
    }
    const d = session.finish();
    if (d !== null) {
      io.stderr.write(`sonfs: --replay ${file}: ${d.message}\n`);
      return 1;
    }
    return first.code;
  } finally {
    handle.stop();
  }
}
