/*
 * File names that are not UTF-8 (any bytes but "/" and NUL are a valid name on the server): made
 * on the server, they come back from readdir exactly — as Buffers with { encoding: 'buffer' }, as
 * strings that name them again otherwise — and rename, stat, readFile and unlink reach them;
 * made through sonfs from a Buffer, the server holds exactly those bytes.
 */
import { describe, expect, it } from 'vitest';
import { PROTOS, scratchMount } from './helpers.js';

/* Names the server can hold that no UTF-8 decoder returns intact. */
const NAMES: Buffer[] = [
  Buffer.from([0xff, 0xfe, 0x2e, 0x74, 0x78, 0x74]), /* "\xff\xfe.txt" */
  Buffer.from('caf\xe9', 'latin1'), /* Latin-1 "café" */
  Buffer.from([0xc0, 0x80, 0x61]), /* an overlong NUL, then "a" */
  Buffer.from([0xed, 0xa0, 0x80]), /* an encoded surrogate */
  Buffer.from('\uFFFD.real', 'utf8'), /* a real U+FFFD: valid UTF-8, must stay itself */
];

/* The names in a server directory, as hex (ls -1 through od: the bytes, not a terminal's idea of them). */
async function serverNames(exec: (c: string) => Promise<{ exitCode: number; output: string }>, path: string): Promise<string[]> {
  const r = await exec(`cd '${path}' && for f in *; do printf '%s' "$f" | od -An -v -tx1 | tr -d ' \\n'; echo; done`);
  expect(r.exitCode, r.output).toBe(0);
  return r.output.split('\n').filter((l) => l !== '').sort();
}

describe.each(PROTOS)('names that are not UTF-8, over %s', (proto) => {
  it('made on the server: readdir returns their bytes, and rename, stat, readFile and unlink reach them', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    const hexes = NAMES.map((n) => n.toString('hex'));
    for (const [i, n] of NAMES.entries()) {
      const r = await dir.server.exec(`printf 'content %d' ${i} > "${dir.path}/$(printf '${[...n].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}')"`);
      expect(r.exitCode, r.output).toBe(0);
    }
    expect(await serverNames((c) => dir.server.exec(c), dir.path)).toEqual([...hexes].sort());

    const asBuffers = await nfs.readdir(p(), { encoding: 'buffer' });
    expect(asBuffers.map((b) => b.toString('hex')).sort()).toEqual([...hexes].sort());
    const asStrings = await nfs.readdir(p());
    expect(new Set(asStrings).size).toBe(NAMES.length); /* distinct, none collapsed into U+FFFD */
    const typed = await nfs.readdir(p(), { withFileTypes: true });
    expect(typed.every((d) => d.isFile())).toBe(true);

    for (const [i, n] of NAMES.entries()) {
      /* the string readdir gave, and the Buffer, both name the file */
      const s = asStrings.find((x) => asBuffers[asStrings.indexOf(x)]!.equals(n))!;
      expect(await nfs.readFile(p(s), 'utf8')).toBe(`content ${i}`);
      const path = Buffer.concat([Buffer.from(`${p()}/`), n]);
      expect((await nfs.stat(path as unknown as string)).size).toBe(`content ${i}`.length);
    }

    /* rename one to another name that is not UTF-8, by Buffer; remove another by the string readdir gave */
    const from = Buffer.concat([Buffer.from(`${p()}/`), NAMES[0]!]);
    const to = Buffer.concat([Buffer.from(`${p()}/`), Buffer.from([0x80, 0x81])]);
    await nfs.rename(from as unknown as string, to as unknown as string);
    const second = asStrings[asBuffers.findIndex((b) => b.equals(NAMES[1]!))]!;
    await nfs.unlink(p(second));
    const want = [...hexes.slice(2), '8081'].sort();
    expect(await serverNames((c) => dir.server.exec(c), dir.path)).toEqual(want);
    expect((await nfs.readdir(p(), { encoding: 'buffer' })).map((b) => b.toString('hex')).sort()).toEqual(want);
  });

  it('made through sonfs from a Buffer: the server holds exactly those bytes', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    for (const n of NAMES) {
      await nfs.writeFile(Buffer.concat([Buffer.from(`${p()}/`), n]) as unknown as string, n);
    }
    expect(await serverNames((c) => dir.server.exec(c), dir.path)).toEqual(NAMES.map((n) => n.toString('hex')).sort());
    for (const name of await nfs.readdir(p())) {
      const data = await nfs.readFile(p(name)) as Buffer;
      expect(NAMES.some((n) => n.equals(data))).toBe(true);
    }
    await nfs.rm(p(), { recursive: true });
    const r = await dir.server.exec(`test -e '${dir.path}'`);
    expect(r.exitCode).not.toBe(0);
  });
});
