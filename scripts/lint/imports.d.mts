/* Types of imports.mjs, for the tests that run it (test/architecture/). */
export interface LayerRule {
  imports: string[] | '*';
  publicOnly?: boolean;
}
export interface ImportEdge {
  to: string;
  spec: string;
  line: number;
}
export type ImportGraph = Map<string, ImportEdge[]>;
export const LAYERS: Record<string, LayerRule>;
export const SOURCE_DIRS: string[];
export function layerOf(rel: string): string;
export function importViolation(fromRel: string, toRel: string): string | null;
export function resolveSpecifier(fromAbs: string, spec: string): string | null;
export function sourceFiles(root: string, dirs?: string[]): string[];
export function repoPath(root: string, abs: string): string;
export function importGraph(root: string, files?: string[]): ImportGraph;
export function layerViolations(graph: ImportGraph): { from: string; to: string; line: number; message: string }[];
export function importCycles(graph: ImportGraph): string[][];
export function pathWithin(graph: ImportGraph, scc: string[], from: string, to: string): string[];
