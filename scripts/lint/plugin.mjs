/*
 * The repository's own ESLint rules (eslint.config.js), over the import rules of imports.mjs:
 *
 *   sonfs/layers     an import that goes the wrong way between layers, or into a lower layer
 *                    other than through its index.ts (or internal.ts);
 *   sonfs/no-cycle   an import that closes a cycle: its target reaches back to the importing
 *                    file. Type-only imports count (a cycle of types still ties the files).
 *
 * Both look at every import form: import and export declarations with a source, `import type`,
 * `import()` of a literal path and `import('...').T` in types. no-cycle builds the import graph of
 * the whole tree once per run (imports.mjs importGraph) and reports each import whose target is
 * in the importing file's cycle, with one such cycle spelled out.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCycles, pathWithin, importGraph, importViolation, repoPath, resolveSpecifier } from './imports.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/*
 * Visitors calling check(node, from, to) for each import of the file being linted that names a
 * file of the repository: node holds the specifier, from and to are repository-relative paths.
 */
function importVisitors(context, check) {
  const file = context.filename;
  const from = repoPath(ROOT, file);
  const lit = (node) => {
    if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
    const target = resolveSpecifier(file, node.value);
    if (target !== null) check(node, from, repoPath(ROOT, target));
  };
  return {
    ImportDeclaration: (n) => lit(n.source),
    ExportAllDeclaration: (n) => lit(n.source),
    ExportNamedDeclaration: (n) => lit(n.source),
    ImportExpression: (n) => lit(n.source),
    TSImportType: (n) => lit(n.argument?.type === 'TSLiteralType' ? n.argument.literal : n.argument),
  };
}

const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'layers import lower layers only, through their index.ts or internal.ts' },
    schema: [],
    messages: { wrongWay: '{{message}}' },
  },
  create(context) {
    return importVisitors(context, (node, from, to) => {
      const message = importViolation(from, to);
      if (message !== null) context.report({ node, messageId: 'wrongWay', data: { message } });
    });
  },
};

/* The graph and its cycles, computed once per lint run. */
let analysed = null;
function analysis() {
  if (analysed === null) {
    const graph = importGraph(ROOT);
    const sccOf = new Map();
    for (const scc of importCycles(graph)) for (const f of scc) sccOf.set(f, scc);
    analysed = { graph, sccOf };
  }
  return analysed;
}

const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'no import cycles, type-only imports included' },
    schema: [],
    messages: { cycle: 'import cycle: {{path}}' },
  },
  create(context) {
    return importVisitors(context, (node, from, to) => {
      const { graph, sccOf } = analysis();
      const scc = sccOf.get(from);
      if (scc === undefined || !scc.includes(to)) return;
      const back = to === from ? [from] : pathWithin(graph, scc, to, from);
      context.report({ node, messageId: 'cycle', data: { path: [from, ...back].join(' → ') } });
    });
  },
};

export default { meta: { name: 'sonfs' }, rules: { layers, 'no-cycle': noCycle } };
