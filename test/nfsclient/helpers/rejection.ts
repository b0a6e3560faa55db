/* The error a promise that must reject rejects with (a test fails if it resolves). */
export interface Rejection {
  code?: string;
  syscall?: string;
  path?: string;
  dest?: string;
  nfsstat3?: number;
  message: string;
}

export async function rejection(p: Promise<unknown>): Promise<Rejection> {
  try {
    await p;
  } catch (e) {
    return e as Rejection;
  }
  throw new Error('expected a rejection');
}
