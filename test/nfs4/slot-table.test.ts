/* The v4.1 slot table on its own (RFC 8881 §2.10.6.1): allocation, limits, waiting, sequence ids. */
import { describe, expect, it } from 'vitest';
import { RpcInterruptedError } from '../../rpc/client/errors.js';
import { Slot, SlotTable } from '../../nfsclient/nfs4/state/slot-table.js';

const take = (t: SlotTable): Slot => {
  const s = t.tryAlloc();
  if (s === null) throw new Error('no slot');
  return s;
};

describe('SlotTable', () => {
  it('hands out the lowest free slot, each starting at sequence id 1', () => {
    const t = new SlotTable(4);
    const a = take(t);
    const b = take(t);
    expect([a.id, b.id, a.seqid, b.seqid]).toEqual([0, 1, 1, 1]);
    t.release(a);
    expect(take(t).id).toBe(0);
    expect(t.highestInUse()).toBe(1);
  });

  it('moves a slot to its next sequence id after a successful SEQUENCE, and frees it for reuse', () => {
    const t = new SlotTable(2);
    const a = take(t);
    t.sequenceDone(a, 1, 1);
    t.release(a);
    const again = take(t);
    expect(again).toBe(a);
    expect(again.seqid).toBe(2);
  });

  it('uses no slot above the target while it is lower, and the retired slots keep their sequence ids', () => {
    const t = new SlotTable(4);
    const s = [take(t), take(t), take(t), take(t)];
    for (const x of s) t.sequenceDone(x, 3, 3);
    t.sequenceDone(s[0]!, 3, 1);
    for (const x of s) t.release(x);
    expect(t.limit).toBe(1);
    const a = take(t);
    const b = take(t);
    expect([a.id, b.id]).toEqual([0, 1]);
    expect(t.tryAlloc()).toBeNull();
    t.sequenceDone(a, 3, 3);
    expect(t.slot(3).seqid).toBe(2);
    expect(take(t).id).toBe(2);
  });

  it('drops slots above a lower sr_highest_slotid: a slot granted again starts at sequence id 1', () => {
    const t = new SlotTable(4);
    const s = [take(t), take(t), take(t)];
    for (const x of s) t.sequenceDone(x, 3, 3);
    for (const x of s) t.release(x);
    t.setHighest(0);
    expect(t.limit).toBe(0);
    expect(t.slot(2).seqid).toBe(1);
    expect(t.slot(0).seqid).toBe(2);
    t.setHighest(3);
    const a = take(t);
    const b = take(t);
    expect([a.seqid, b.seqid]).toEqual([2, 1]);
  });

  it('makes callers wait in order for a slot when every one is busy', async () => {
    const t = new SlotTable(1);
    const a = take(t);
    const order: number[] = [];
    const w1 = Promise.resolve(t.alloc()).then((s) => {
      order.push(1);
      return s;
    });
    const w2 = Promise.resolve(t.alloc()).then((s) => {
      order.push(2);
      return s;
    });
    expect(t.waiting).toBe(2);
    t.release(a);
    const s1 = await w1;
    t.release(s1);
    await w2;
    expect(order).toEqual([1, 2]);
  });

  it('gives a waiting caller up when its signal fires', async () => {
    const t = new SlotTable(1);
    take(t);
    const ac = new AbortController();
    const p = t.alloc(ac.signal);
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(RpcInterruptedError);
    expect(t.waiting).toBe(0);
  });

  it('moves an abandoned slot on by one and marks it, for the step back on SEQ_MISORDERED', () => {
    const t = new SlotTable(1);
    const a = take(t);
    t.abandoned(a);
    expect([a.seqid, a.interrupted]).toEqual([2, true]);
    t.sequenceDone(a, 0, 0);
    expect([a.seqid, a.interrupted]).toEqual([3, false]);
  });

  it('fails the waiting and later callers once closed', async () => {
    const t = new SlotTable(1);
    take(t);
    const p = t.alloc();
    const err = new Error('session gone');
    t.close(err);
    await expect(p).rejects.toBe(err);
    expect(() => t.tryAlloc()).toThrow(err);
  });
});
