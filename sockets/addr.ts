/*
 * `&obj->field`: the address of a field, as an out-parameter and as a wait channel.
 *
 * C takes the address of a scalar or pointer field for two things: to let a callee write it
 * (`socreate(..., &nmp->nm_so, ...)`, `*flagp |= NFSMNT_WANTSND`) and to sleep on it
 * (`tsleep(flagp, ...)` ... `wakeup(flagp)`). addr(obj, 'field') is that address: a Ref whose
 * `value` reads and writes obj.field (so `*flagp` is `flagp.value`), and the same object every
 * time for the same field of the same object, so that it is one wait channel for every sleeper
 * and waker. Objects the kernel embeds in a structure (so.so_timeo, so.so_rcv, sb_mtx) are
 * already their own address: pass the object itself (`tsleep(so.so_timeo, ...)`); addr() refuses
 * a field holding a wait channel, since a different identity would never be woken.
 */
import type { Ref } from './ref.js';
import { SLEEPQ } from './synch.js';
import type { Sleep } from './synch.js';

/** The address of field `field` of `obj`: `*p` is `p.value`; usable as a wait channel. */
export class FieldRef<O extends object, K extends keyof O> implements Ref<O[K]> {
  /** Its sleep queue, as a wait channel (synch.ts). */
  [SLEEPQ]: Sleep | null = null;

  constructor(
    readonly obj: O,
    readonly field: K,
  ) {}

  get value(): O[K] {
    return this.obj[this.field];
  }

  set value(v: O[K]) {
    this.obj[this.field] = v;
  }
}

const refs = new WeakMap<object, Map<PropertyKey, FieldRef<object, never>>>();

/** `&obj->field`: the same FieldRef for the same object and field, always. */
export function addr<O extends object, K extends keyof O>(obj: O, field: K): FieldRef<O, K> {
  const v: unknown = obj[field];
  if (v !== null && typeof v === 'object' && SLEEPQ in v) {
    throw new TypeError(`addr: ${String(field)} is itself a wait channel (an embedded structure): use the object, not addr()`);
  }
  let fields = refs.get(obj);
  if (fields === undefined) {
    fields = new Map();
    refs.set(obj, fields);
  }
  let r = fields.get(field) as FieldRef<O, K> | undefined;
  if (r === undefined) {
    r = new FieldRef(obj, field);
    fields.set(field, r as unknown as FieldRef<object, never>);
  }
  return r;
}
