/*
 * The porting kit's sleeping and locking, old and current: tsleep_nsec with nanosecond timeouts
 * and INFSLP, nowake, lbolt, sb_timeo_nsecs on a real receive, the sockbuf mutex, solock and
 * solock_shared as real locks across awaits, sosleep_nsec on a real connect, splsoftnet/splx,
 * timeout(9), and signals a process blocks or ignores.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  AF_INET, AF_LOCAL, EINTR, EWOULDBLOCK, INFSLP, MSEC_TO_NSEC, MUTEX_ASSERT_LOCKED, Mutex, NET_ASSERT_LOCKED, PCATCH,
  PSOCK, SEC_TO_NSEC, SIGINT, SIGKILL, SIGPENDING, SIGTERM, SOCK_STREAM, SS_ISCONNECTING, Timeout, USEC_TO_NSEC, hz,
  lbolt, mtx_enter, mtx_enter_try, mtx_leave, newproc, nowake, panic, psignal, runas, sigmask, soassertlocked, soconnect,
  sockaddr_in, solock, solock_shared, sosleep_nsec, sounlock, sounlock_shared, splsoftnet, splx, tick_nsec, timeout_add,
  timeout_add_msec, timeout_del, timeout_pending, timeout_set, tsleep, tsleep_nsec, wakeup,
} from '../../sockets/index.js';
import { localPair, mkso, recvn, settlesAtTimer, tcpListener, tcpPair } from './helpers.js';

describe('nanosecond timeouts', () => {
  it('SEC_TO_NSEC and friends convert and saturate at INFSLP; a negative time is refused', () => {
    expect(SEC_TO_NSEC(2)).toBe(2_000_000_000);
    expect(MSEC_TO_NSEC(3)).toBe(3_000_000);
    expect(USEC_TO_NSEC(7)).toBe(7000);
    expect(SEC_TO_NSEC(1e12)).toBe(INFSLP);
    expect(() => SEC_TO_NSEC(-1)).toThrow(RangeError);
    expect(tick_nsec).toBe(1e9 / hz);
  });

  it('tsleep_nsec times out after its nanoseconds, rounded up to ticks', async () => {
    const chan = {};
    expect(await settlesAtTimer(() => tsleep_nsec(chan, PSOCK, 't', MSEC_TO_NSEC(50)), 50)).toBe(EWOULDBLOCK);
    expect(await settlesAtTimer(() => tsleep_nsec(chan, PSOCK, 't', MSEC_TO_NSEC(41)), 50)).toBe(EWOULDBLOCK);
    expect(await settlesAtTimer(() => tsleep_nsec(chan, PSOCK, 't', 0), 1000 / hz)).toBe(EWOULDBLOCK);
    expect(() => tsleep_nsec(chan, PSOCK, 't', -1)).toThrow(RangeError);
  });

  it('tsleep_nsec with INFSLP sleeps until woken', async () => {
    const chan = {};
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let done = false;
      const p = tsleep_nsec(chan, PSOCK, 't', INFSLP).then((e) => {
        done = true;
        return e;
      });
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(done).toBe(false);
      wakeup(chan);
      expect(await p).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('nowake is only a delay: it times out, a signal ends it with PCATCH, and a sleep with neither is refused', async () => {
    expect(await tsleep_nsec(nowake, PSOCK, 'delay', MSEC_TO_NSEC(20))).toBe(EWOULDBLOCK);
    expect(() => tsleep_nsec(nowake, PSOCK, 'forever', INFSLP)).toThrow(/nowake/);
    expect(() => tsleep(nowake, PSOCK, 'forever', 0)).toThrow(/nowake/);
    const p = newproc({ uid: 1, gid: 1 });
    const sleeping = runas(p, () => tsleep_nsec(nowake, PSOCK | PCATCH, 'sig', INFSLP));
    psignal(p, SIGINT);
    expect(await sleeping).toBe(EINTR);
  });

  it('lbolt wakes every sleeper on it at the next second, with 0', async () => {
    const r = await Promise.all([tsleep(lbolt, PSOCK, 'lbolt', 0), tsleep(lbolt, PSOCK, 'lbolt', 0)]);
    expect(r).toEqual([0, 0]);
  });

  it('sb_timeo_nsecs is sb_timeo in nanoseconds, and a receive times out after it', async () => {
    const { client } = await tcpPair();
    const sb = client.so_rcv;
    expect(sb.sb_timeo_nsecs).toBe(INFSLP);
    sb.sb_timeo_nsecs = SEC_TO_NSEC(5);
    expect(sb.sb_timeo).toBe(5 * hz);
    expect(sb.sb_timeo_nsecs).toBe(SEC_TO_NSEC(5));
    sb.sb_timeo_nsecs = 1;
    expect(sb.sb_timeo).toBe(1);
    sb.sb_timeo_nsecs = INFSLP;
    expect(sb.sb_timeo).toBe(0);
    expect(() => {
      sb.sb_timeo_nsecs = -5;
    }).toThrow(RangeError);
    sb.sb_timeo_nsecs = MSEC_TO_NSEC(80);
    const r = await settlesAtTimer(() => recvn(client, 10), 80);
    expect(r.error).toBe(EWOULDBLOCK);
  });
});

describe('the sockbuf mutex', () => {
  it('mtx_enter and mtx_leave pair; taking it twice or leaving it unheld is the kernel panic', async () => {
    const { client } = await tcpPair();
    const mtx = client.so_rcv.sb_mtx;
    mtx_enter(mtx);
    MUTEX_ASSERT_LOCKED(mtx);
    client.so_rcv.sb_timeo_nsecs = SEC_TO_NSEC(1);
    expect(() => mtx_enter(mtx)).toThrow(/locking against myself/);
    expect(mtx_enter_try(mtx)).toBe(0);
    mtx_leave(mtx);
    expect(() => mtx_leave(mtx)).toThrow(/not held/);
    expect(mtx_enter_try(mtx)).toBe(1);
    mtx_leave(mtx);
    expect(client.so_snd.sb_mtx).not.toBe(mtx);
    expect(new Mutex().mtx_owner).toBe(false);
  });
});

describe('solock', () => {
  it('keeps a second flow out of an inet socket until the first releases it, across an await', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    const order: string[] = [];
    await solock(so);
    const second = (async () => {
      await solock(so);
      order.push('B locked');
      sounlock(so);
    })();
    await tsleep_nsec(nowake, PSOCK, 'held', MSEC_TO_NSEC(20));
    order.push('A unlocks');
    sounlock(so);
    await second;
    expect(order).toEqual(['A unlocks', 'B locked']);
  });

  it('solock_shared lets flows on two inet sockets in together; solock of either keeps both out (the network lock)', async () => {
    const a = mkso(AF_INET, SOCK_STREAM);
    const b = mkso(AF_INET, SOCK_STREAM);
    await solock_shared(a);
    await solock_shared(b); /* another socket: not held up */
    const order: string[] = [];
    const exclusive = (async () => {
      await solock(a);
      order.push('exclusive');
      NET_ASSERT_LOCKED();
      soassertlocked(a);
      soassertlocked(b); /* the network lock held exclusively covers every inet socket */
      sounlock(a);
    })();
    await Promise.resolve();
    order.push('shared released');
    sounlock_shared(a);
    sounlock_shared(b);
    await exclusive;
    expect(order).toEqual(['shared released', 'exclusive']);
    expect(() => soassertlocked(a)).toThrow(/not locked/);
  });

  it('on other families locks the socket alone', async () => {
    const [x, y] = localPair(SOCK_STREAM);
    expect(x.so_proto.pr_domain.dom_family).toBe(AF_LOCAL);
    await solock(x);
    await solock(y); /* a different socket: not held up */
    soassertlocked(x);
    sounlock(y);
    expect(() => soassertlocked(y)).toThrow();
    sounlock(x);
    expect(() => sounlock(x)).toThrow(/not held/);
  });

  it('sosleep_nsec waits for a real connect with the lock released, and holds it again when it returns', async () => {
    const { port } = await tcpListener();
    const so = mkso(AF_INET, SOCK_STREAM);
    await solock_shared(so);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    let otherGotIn = false;
    const other = (async () => {
      await solock_shared(so);
      otherGotIn = true;
      sounlock_shared(so);
    })();
    while ((so.so_state & SS_ISCONNECTING) && so.so_error === 0) {
      await sosleep_nsec(so, so.so_timeo, PSOCK, 'netcon', SEC_TO_NSEC(2));
    }
    soassertlocked(so);
    expect(so.so_error).toBe(0);
    sounlock_shared(so);
    await other;
    expect(otherGotIn).toBe(true);
    await expect(sosleep_nsec(so, so.so_timeo, PSOCK, 'x', INFSLP)).rejects.toThrow(/not locked/);
  });
});

describe('splsoftnet and splx', () => {
  it('are no-ops that return and take a level', () => {
    const s = splsoftnet();
    expect(typeof s).toBe('number');
    expect(splx(s)).toBeUndefined();
  });
});

describe('timeout(9)', () => {
  it('calls its function once after the delay, can be rescheduled, and not after timeout_del', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const calls: number[] = [];
      const to = new Timeout();
      timeout_set(to, (arg: number) => calls.push(arg), 7);
      expect(timeout_add(to, hz)).toBe(1);
      expect(timeout_pending(to)).toBe(1);
      await vi.advanceTimersByTimeAsync(999);
      expect(calls).toEqual([]);
      expect(timeout_add_msec(to, 10)).toBe(0); /* already pending: rescheduled */
      await vi.advanceTimersByTimeAsync(10);
      expect(calls).toEqual([7]);
      expect(timeout_pending(to)).toBe(0);
      timeout_add(to, 1);
      expect(timeout_del(to)).toBe(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(calls).toEqual([7]);
      expect(timeout_del(to)).toBe(0);
      expect(() => timeout_add(new Timeout(), 1)).toThrow(/timeout_set/);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('signals a process blocks or ignores', () => {
  it('an ignored signal is discarded, a blocked one waits pending until unblocked, SIGKILL is neither', async () => {
    const p = newproc({ uid: 1, gid: 1 });
    const chan = {};
    p.p_sigignore = sigmask(SIGTERM);
    expect(p.p_p.ps_sigacts.ps_sigignore).toBe(sigmask(SIGTERM));
    p.p_sigmask = sigmask(SIGINT) | sigmask(SIGKILL);

    const sleeping = runas(p, () => tsleep(chan, PSOCK | PCATCH, 'sig', 0));
    psignal(p, SIGTERM); /* ignored: gone */
    psignal(p, SIGINT); /* blocked: pending, the sleep goes on */
    expect(p.p_siglist).toBe(sigmask(SIGINT));
    expect(SIGPENDING(p)).toBe(0);
    wakeup(chan);
    expect(await sleeping).toBe(0);

    p.p_sigmask = 0;
    expect(SIGPENDING(p)).toBe(sigmask(SIGINT));
    expect(await runas(p, () => tsleep(chan, PSOCK | PCATCH, 'sig', 0))).toBe(EINTR);
    expect(p.p_siglist).toBe(0);

    p.p_sigmask = sigmask(SIGKILL);
    p.p_sigignore = sigmask(SIGKILL);
    const killed = runas(p, () => tsleep(chan, PSOCK | PCATCH, 'sig', 0));
    psignal(p, SIGKILL);
    expect(await killed).toBe(EINTR);
  });
});

describe('panic', () => {
  it('throws with the kernel message', () => {
    expect(() => panic('nfs sndunlock')).toThrow('panic: nfs sndunlock');
  });
});
