import type { ContainerRuntimeClient } from 'testcontainers';

/**
 * The container's log so far (stdout and stderr interleaved as written), or only its last `tail`
 * lines. Never waits for more output; resolves to '' if the container is gone.
 */
export async function readContainerLog(client: ContainerRuntimeClient, id: string, tail?: number): Promise<string> {
  try {
    const raw = await client.container.dockerode.getContainer(id).logs({
      follow: false, stdout: true, stderr: true, ...(tail !== undefined ? { tail } : {}),
    });
    return demux(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  } catch {
    return '';
  }
}

/**
 * Docker multiplexes a non-TTY container's output in frames: 1 byte stream (1 stdout, 2 stderr),
 * 3 zero bytes, a 4-byte big-endian length, then the payload. Anything that does not parse as
 * frames is returned as text unchanged.
 */
function demux(buf: Buffer): string {
  const parts: Buffer[] = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    const kind = buf[off];
    if ((kind !== 0 && kind !== 1 && kind !== 2) || buf[off + 1] !== 0 || buf[off + 2] !== 0 || buf[off + 3] !== 0) {
      return buf.toString('utf8');
    }
    const len = buf.readUInt32BE(off + 4);
    parts.push(buf.subarray(off + 8, Math.min(buf.length, off + 8 + len)));
    off += 8 + len;
  }
  if (off < buf.length && parts.length === 0) return buf.toString('utf8');
  return Buffer.concat(parts).toString('utf8');
}

/** Shortens ganesha's log lines ("21/11/2026 13:03:05 : epoch 6b019689 : host : nfs-ganesha-1[main] fn :COMP :LEVEL :text")
 * to "fn :COMP :LEVEL :text", and drops the noise every start logs (dbus, krb5). */
export function summarizeLog(log: string, maxLines = 30): string {
  const lines = log.split('\n')
    .map((l) => l.replace(/^\d\d\/\d\d\/\d{4} [\d:]+ : epoch \w+ : [^:]+ : [^\]]+\] /, ''))
    .filter((l) => l.trim() !== '' && !/:DBUS :|krb5|keytab|default realm|RADOS URLs/.test(l));
  return lines.slice(-maxLines).join('\n');
}
