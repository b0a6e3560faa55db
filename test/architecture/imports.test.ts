/*
 * The layering of docs/architecture.md over the whole tree, as `npm run lint` checks it file by
 * file (scripts/lint/plugin.mjs): no import cycle, no import the wrong way between layers, none
 * into a lower layer except through its index.ts or internal.ts. And the checker itself, on
 * made-up graphs: it must see what it is there to see.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  importCycles, importGraph, importViolation, layerViolations, pathWithin,
} from '../../scripts/lint/imports.mjs';
import type { ImportGraph } from '../../scripts/lint/imports.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function graphOf(edges: Record<string, string[]>): ImportGraph {
  const g: ImportGraph = new Map();
  for (const [from, tos] of Object.entries(edges)) g.set(from, tos.map((to) => ({ to, spec: to, line: 1 })));
  return g;
}

describe('the tree', () => {
  const graph = importGraph(ROOT);

  it('has no import cycle, type-only imports included', () => {
    const cycles = importCycles(graph).map((scc) => [...pathWithin(graph, scc, scc[0]!, scc[0]!), scc[0]].join(' → '));
    expect(cycles).toEqual([]);
  });

  it('has no import against the layering', () => {
    expect(layerViolations(graph).map((v) => `${v.from}:${v.line}: ${v.message}`)).toEqual([]);
  });

  it('was read: every layer has files and imports', () => {
    for (const layer of ['sockets', 'rpc', 'nfsclient', 'trace', 'cli', 'testing']) {
      expect([...graph.keys()].some((f) => f.startsWith(`${layer}/`)), layer).toBe(true);
    }
    expect(graph.get('rpc/client/client.ts')!.some((e) => e.to === 'sockets/index.ts')).toBe(true);
  });

  it("reads the package's own entry points (`sonfs/sockets`, as examples/ imports them) as imports of their sources", () => {
    const tos = (file: string): string[] => graph.get(file)!.map((e) => e.to);
    expect(tos('examples/kernel-nfs/nfs_socket_2009.ts')).toContain('sockets/index.ts');
    expect(tos('examples/kernel-nfs/nfs_socket_2025.ts')).toContain('sockets/current.ts');
    expect(tos('examples/kernel-nfs/run.ts')).toContain('testing/index.ts');
  });
});

describe('the checker', () => {
  it('refuses an import up the stack, sideways, or past a lower layer\'s index', () => {
    expect(importViolation('sockets/socket.ts', 'rpc/index.ts')).toMatch(/sockets\/ may not import rpc\//);
    expect(importViolation('rpc/client/client.ts', 'nfsclient/index.ts')).toMatch(/may not import nfsclient/);
    expect(importViolation('nfsclient/client/mount.ts', 'trace/index.ts')).toMatch(/may not import trace/);
    expect(importViolation('trace/session.ts', 'nfsclient/index.ts')).toMatch(/may not import nfsclient/);
    expect(importViolation('testing/index.ts', 'sockets/index.ts')).toMatch(/may not import sockets/);
    expect(importViolation('nfsclient/client/session.ts', 'rpc/client/client.ts')).toMatch(/only through rpc\/index.ts or rpc\/internal.ts/);
    expect(importViolation('fuse/server.ts', 'nfsclient/internal.ts')).toMatch(/only through nfsclient\/index.ts/);
    expect(importViolation('examples/x.ts', 'rpc/client/client.ts')).toMatch(/only through rpc\/index.ts/);
    expect(importViolation('examples/x.ts', 'sockets/internal.ts')).toMatch(/only through sockets\/index.ts/);
  });

  it('allows imports inside a layer, down through index.ts or internal.ts, and anything from bench/ and test/', () => {
    expect(importViolation('rpc/client/client.ts', 'rpc/xdr/reader.ts')).toBeNull();
    expect(importViolation('nfsclient/client/mount.ts', 'rpc/index.ts')).toBeNull();
    expect(importViolation('trace/session.ts', 'rpc/internal.ts')).toBeNull();
    expect(importViolation('cli/commands/ls.ts', 'nfsclient/internal.ts')).toBeNull();
    expect(importViolation('fuse/server.ts', 'nfsclient/index.ts')).toBeNull();
    expect(importViolation('examples/x.ts', 'sockets/current.ts')).toBeNull(); /* sonfs/sockets/current */
    expect(importViolation('bench/sockets.ts', 'sockets/soreceive.ts')).toBeNull();
    expect(importViolation('test/x.test.ts', 'nfsclient/client/session.ts')).toBeNull();
  });

  it('finds a cycle, of types too, and spells one out', () => {
    const g = graphOf({
      'a/synch.ts': ['a/ktrace.ts'], 'a/ktrace.ts': ['a/socket.ts'], 'a/socket.ts': ['a/sockbuf.ts'],
      'a/sockbuf.ts': ['a/synch.ts'], 'a/other.ts': ['a/synch.ts'],
    });
    const sccs = importCycles(g);
    expect(sccs).toEqual([['a/ktrace.ts', 'a/sockbuf.ts', 'a/socket.ts', 'a/synch.ts']]);
    expect(pathWithin(g, sccs[0]!, 'a/socket.ts', 'a/ktrace.ts')).toEqual(['a/socket.ts', 'a/sockbuf.ts', 'a/synch.ts', 'a/ktrace.ts']);
    expect(importCycles(graphOf({ 'a/x.ts': ['a/x.ts'] }))).toEqual([['a/x.ts']]);
    expect(importCycles(graphOf({ 'a/x.ts': ['a/y.ts'], 'a/y.ts': [] }))).toEqual([]);
  });

  it('reads type-only imports, export-from and import() as imports', () => {
    const g = importGraph(ROOT, [fileURLToPath(new URL('../../cli/lib/mounts.ts', import.meta.url))]);
    const tos = g.get('cli/lib/mounts.ts')!.map((e) => e.to);
    expect(tos).toContain('nfsclient/index.ts'); /* also `import type` from it */
    expect(tos).toContain('trace/index.ts'); /* import() */
  });
});
