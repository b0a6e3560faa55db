/*
 * Run async work over a list with at most `limit` calls in flight; results in list order. The
 * first failure rejects once the work already started has finished (none is left running).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const n = Math.min(Math.max(1, limit), items.length);
  await Promise.all(Array.from({ length: n }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return out;
}

/* Depth-first order of positions in a tree: [2] < [2, 0] < [2, 1] < [3]. */
function before(a: readonly number[], b: readonly number[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return a.length < b.length;
}

interface Offered {
  id: string;
  pos: readonly number[];
}

/**
 * Work on the nodes of a tree walked depth first (ls -R's directories), started ahead of its turn
 * so that its waits overlap: nodes are offered as they become known (with their depth-first
 * position: sibling indices from the root), and started earliest position first, while fewer than
 * `window` started results have not been taken. take(id) returns a node's result, starting it at
 * once if it was not (so the walk never waits for the window). A result is held until taken: at
 * most `window` + 1 at a time. Failures reach whoever takes the result, not before.
 */
export class Ahead<T> {
  readonly #run: (id: string, pos: readonly number[]) => Promise<T>;
  readonly #window: number;
  readonly #heap: Offered[] = [];
  /* Started and not yet taken. */
  readonly #started = new Map<string, Promise<T>>();
  /* Every node ever started (an offered node taken before its turn is not started again). */
  readonly #ever = new Set<string>();
  /* Started and not finished, to wait for in settle(). */
  readonly #running = new Set<Promise<unknown>>();
  #stopped = false;

  constructor(run: (id: string, pos: readonly number[]) => Promise<T>, window: number) {
    this.#run = run;
    this.#window = window;
  }

  /** Make a node known: it is started when it comes first and the window has room. */
  offer(id: string, pos: readonly number[]): void {
    const h = this.#heap;
    const node: Offered = { id, pos };
    let i = h.push(node) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(pos, h[parent]!.pos)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = node;
    this.#pump();
  }

  /** The result of node `id` (started now if it was not). */
  take(id: string, pos: readonly number[]): Promise<T> {
    let p = this.#started.get(id);
    if (p === undefined) {
      p = this.#start(id, pos);
    }
    this.#started.delete(id);
    this.#pump();
    return p;
  }

  /** Start nothing more, and wait until everything started has finished (its outcome ignored). */
  async settle(): Promise<void> {
    this.#stopped = true;
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  #start(id: string, pos: readonly number[]): Promise<T> {
    this.#ever.add(id);
    const p = this.#run(id, pos);
    const quiet: Promise<unknown> = p.then(() => this.#running.delete(quiet), () => this.#running.delete(quiet));
    this.#running.add(quiet);
    return p;
  }

  #pump(): void {
    while (!this.#stopped && this.#started.size < this.#window && this.#heap.length > 0) {
      const { id, pos } = this.#pop();
      if (this.#ever.has(id)) continue;
      const p = this.#start(id, pos);
      p.catch(() => undefined); /* reported by take() */
      this.#started.set(id, p);
    }
  }

  #pop(): Offered {
    const h = this.#heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && before(h[r]!.pos, h[l]!.pos) ? r : l;
        if (!before(h[c]!.pos, last.pos)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
