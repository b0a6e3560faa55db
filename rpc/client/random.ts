/*
 * Random bytes for xids, exclusive-create verifiers and silly-rename names, without loading
 * node:crypto at start-up: importing it costs 7-10 ms (it initialises OpenSSL), a sixth of what
 * the bundled CLI needs to start. /dev/urandom (the kernel's CSPRNG) is read instead, opened and
 * closed per call (the callers are rare: once per RPC client, per exclusive create, per silly
 * rename); where it cannot be read (Windows), node:crypto is loaded on first use.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

let noUrandom = false;
let fallback: ((n: number) => Buffer) | undefined;

/* n bytes of /dev/urandom into a new Buffer, or null if it cannot be read. */
function fromUrandom(n: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync('/dev/urandom', 'r');
  } catch {
    return null;
  }
  try {
    const out = Buffer.allocUnsafe(n);
    for (let got = 0; got < n;) {
      const k = readSync(fd, out, got, n - got, null);
      if (k <= 0) return null;
      got += k;
    }
    return out;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** `n` cryptographically random bytes, in a new Buffer. */
export function randomBytes(n: number): Buffer {
  if (!noUrandom) {
    const b = fromUrandom(n);
    if (b !== null) return b;
    noUrandom = true;
  }
  fallback ??= (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomBytes;
  return fallback(n);
}
