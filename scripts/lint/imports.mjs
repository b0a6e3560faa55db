/*
 * The import rules of the repository (docs/architecture.md), as plain functions over file paths:
 * which layer a file belongs to, whether one file may import another, and the import graph of the
 * whole tree with its cycles. The ESLint plugin beside this file (plugin.mjs) reports through
 * them, and test/architecture/imports.test.ts runs them over the tree.
 *
 * Layers, lowest first (an arrow reads "may import"):
 *
 *   sockets/                      nothing of ours
 *   rpc/        -> sockets
 *   nfsclient/  -> rpc, sockets
 *   trace/      -> rpc, sockets   (above rpc, beside nfsclient: neither imports the other)
 *   fuse/       -> nfsclient      (its public index only)
 *   cli/        -> fuse, nfsclient, trace, rpc, sockets, testing
 *   testing/                      nothing of ours (it stands apart)
 *   examples/   -> the package's public entry points only
 *   bench/, test/ and files at the top level: anything
 *
 * A file imports another layer only through that layer's index.ts, or its internal.ts (the few
 * internals the layers above it in this repository may use, outside the package's public API);
 * inside its own layer it imports any file. An import counts whatever it brings (`import type`,
 * `export ... from`, `import()` of a literal path): a cycle of types is still a cycle.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** The layers and, for each, the layers it may import ('*': any file of the repository). */
export const LAYERS = {
  sockets: { imports: [] },
  rpc: { imports: ['sockets'] },
  nfsclient: { imports: ['rpc', 'sockets'] },
  trace: { imports: ['rpc', 'sockets'] },
  fuse: { imports: ['nfsclient'], publicOnly: true },
  cli: { imports: ['fuse', 'nfsclient', 'trace', 'rpc', 'sockets', 'testing'] },
  testing: { imports: [] },
  examples: { imports: ['sockets', 'rpc', 'nfsclient', 'testing'], publicOnly: true },
  bench: { imports: '*' },
  test: { imports: '*' },
};

/**
 * The public entry points of a layer (package.json "exports"): its index.ts, and for sockets/
 * also current.ts (sonfs/sockets/current, the kernel interface as today's OpenBSD has it).
 */
export const PUBLIC_ENTRIES = { sockets: ['index.ts', 'current.ts'] };

function isPublicEntry(layer, entry) {
  return (PUBLIC_ENTRIES[layer] ?? ['index.ts']).includes(entry);
}

/** Directories scanned for the graph (relative to the repository root). */
export const SOURCE_DIRS = Object.keys(LAYERS);

/** The layer of a repository-relative path ('' for a file outside every layer). */
export function layerOf(rel) {
  const top = rel.split(/[\\/]/)[0];
  return Object.hasOwn(LAYERS, top) && rel.includes('/') ? top : '';
}

/**
 * Why `fromRel` may not import `toRel` (both repository-relative, '/'-separated), or null if it
 * may. Files outside the repository's layers (node_modules, node:) are not this rule's concern.
 */
export function importViolation(fromRel, toRel) {
  const from = layerOf(fromRel);
  const to = layerOf(toRel);
  if (from === '' || to === '' || from === to) return null;
  const rule = LAYERS[from];
  if (rule.imports === '*') return null;
  if (!rule.imports.includes(to)) {
    return `${from}/ may not import ${to}/ (${from}/ may import ${rule.imports.length ? rule.imports.map((l) => `${l}/`).join(', ') : 'no other layer'})`;
  }
  const entry = toRel.slice(to.length + 1);
  if (isPublicEntry(to, entry)) return null;
  if (entry === 'internal.ts' && !rule.publicOnly) return null;
  return rule.publicOnly
    ? `${from}/ imports ${to}/ only through ${to}/index.ts, not ${toRel}`
    : `${from}/ imports ${to}/ only through ${to}/index.ts or ${to}/internal.ts, not ${toRel}`;
}

/*
 * The package's own name (package.json "name") and "exports", by the directory of its
 * package.json, for self-references such as `import ... from 'sonfs/sockets'` (examples/).
 */
const packages = new Map();

function packageOf(fromAbs) {
  for (let dir = dirname(fromAbs); ; dir = dirname(dir)) {
    if (packages.has(dir)) return packages.get(dir);
    let pkg = null;
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof json.name === 'string' && json.exports !== null && typeof json.exports === 'object') pkg = { dir, json };
    } catch {
      /* no package.json here */
    }
    if (pkg !== null || dirname(dir) === dir) {
      packages.set(dir, pkg);
      return pkg;
    }
  }
}

/* The source file a self-reference names: its "exports" target in dist/, as the .ts it is built from. */
function resolveSelf(fromAbs, spec) {
  const pkg = packageOf(fromAbs);
  if (pkg === null) return null;
  const name = pkg.json.name;
  if (spec !== name && !spec.startsWith(`${name}/`)) return null;
  const target = pkg.json.exports[`.${spec.slice(name.length)}`];
  const file = typeof target === 'string' ? target : target?.default;
  if (typeof file !== 'string' || !file.startsWith('./dist/')) return null;
  const abs = join(pkg.dir, file.slice('./dist/'.length).replace(/\.js$/, '.ts'));
  try {
    return statSync(abs).isFile() ? abs : null;
  } catch {
    return null;
  }
}

/**
 * The .ts file a specifier names from `fromAbs`, or null: a relative one (ESM specifiers name
 * the .js), or a self-reference to the package's own entry points (`sonfs/sockets`).
 */
export function resolveSpecifier(fromAbs, spec) {
  if (!spec.startsWith('.')) return resolveSelf(fromAbs, spec);
  const abs = resolve(dirname(fromAbs), spec);
  for (const candidate of [abs.replace(/\.js$/, '.ts'), abs.replace(/\.mjs$/, '.mts'), abs, `${abs}.ts`, join(abs, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* not this one */
    }
  }
  return null;
}

/** Every .ts file under the given directories of `root`. */
export function sourceFiles(root, dirs = SOURCE_DIRS) {
  const out = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out.sort();
}

/** Repository-relative, '/'-separated. */
export function repoPath(root, abs) {
  return relative(root, abs).split(sep).join('/');
}

/**
 * The import graph of the tree: for each file (repository-relative), the files it imports, each
 * with the 1-based line of the import. Every import form counts (see the header).
 */
export function importGraph(root, files = sourceFiles(root)) {
  const graph = new Map();
  for (const abs of files) {
    const text = readFileSync(abs, 'utf8');
    const info = ts.preProcessFile(text, true, true);
    const edges = [];
    for (const ref of info.importedFiles) {
      const target = resolveSpecifier(abs, ref.fileName);
      if (target === null) continue;
      const line = text.slice(0, ref.pos).split('\n').length;
      edges.push({ to: repoPath(root, target), spec: ref.fileName, line });
    }
    graph.set(repoPath(root, abs), edges);
  }
  return graph;
}

/** Wrong-way imports of a graph: { from, to, line, message }[]. */
export function layerViolations(graph) {
  const out = [];
  for (const [from, edges] of graph) {
    for (const e of edges) {
      const message = importViolation(from, e.to);
      if (message !== null) out.push({ from, to: e.to, line: e.line, message });
    }
  }
  return out;
}

/**
 * The strongly connected components of more than one file (or a file importing itself), Tarjan's
 * algorithm, each as a sorted list of files (pathWithin spells out a cycle through one).
 */
export function importCycles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const sccs = [];
  const succ = (v) => (graph.get(v) ?? []).map((e) => e.to).filter((w) => graph.has(w));
  /* Iterative, so a deep graph cannot overflow the stack. */
  for (const start of graph.keys()) {
    if (idx.has(start)) continue;
    const work = [[start, 0]];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const next = succ(v);
      if (i < next.length) {
        frame[1]++;
        const w = next[i];
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v), idx.get(w)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === idx.get(v)) {
        const scc = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || succ(v).includes(v)) sccs.push(scc.sort());
      }
    }
  }
  return sccs;
}

/**
 * The shortest import path from `from` to `to` inside the component `scc` (both in it), as a
 * list of files from `from` to `to`; with an import `to` → `from` it closes a cycle.
 */
export function pathWithin(graph, scc, from, to) {
  const members = new Set(scc);
  const prev = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const v = queue.shift();
    if (v === to) break;
    for (const e of graph.get(v) ?? []) {
      if (!members.has(e.to) || prev.has(e.to)) continue;
      prev.set(e.to, v);
      queue.push(e.to);
    }
  }
  if (!prev.has(to)) return [from, to];
  const path = [];
  for (let u = to; u !== null; u = prev.get(u)) path.unshift(u);
  return path;
}
