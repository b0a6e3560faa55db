/*
 * An NFS client's socket code written as a BSD kernel of 2009 writes it — the shape of
 * sys/nfs/nfs_socket.c: connect from a reserved port and wait on so_timeo, a send lock and a
 * receive lock on the mount, a TCP reply read as a record mark (MSG_WAITALL into kernel memory)
 * and then the record as an mbuf chain (mp0), reconnect and resend when the connection breaks,
 * UDP with retransmission from a timer — against sonfs/sockets, the interface of that time
 * (splsoftnet, tsleep in ticks, lbolt, sb_timeo). nfs_socket_2025.ts is the same code against
 * today's interface. Written for this project, not copied from a BSD.
 *
 * It ports back: every line is what the kernel would write, except those marked `port:` with
 * the reason (docs/porting.md counts them): JavaScript has no goto, no address-of, no blocking
 * call, and macros cannot assign their arguments.
 */
import {
  AF_INET, EACCES, EALREADY, EFBIG, EINTR, ENOTCONN, EOPNOTSUPP, EPIPE, EPROTONOSUPPORT, ERESTART, EWOULDBLOCK, INADDR_ANY,
  IPPROTO_IP, IPPROTO_TCP, IP_PORTRANGE, IP_PORTRANGE_DEFAULT, IP_PORTRANGE_LOW, Iovec, MGET, MSG_EOR, MSG_WAITALL,
  MT_SONAME, MT_SOOPTS, M_COPYALL, M_DONTWAIT, M_PREPEND, M_WAIT, PCATCH, PR_CONNREQUIRED, PSOCK, PZERO, SB_NOINTR,
  SHUT_RDWR, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SO_KEEPALIVE, SS_ISCONNECTED, SS_ISCONNECTING,
  TCP_NODELAY, UIO_READ, UIO_SYSSPACE, Uio, addr, caddr, curproc, hz, htonl, htons, int32_t, lbolt, m_copym, m_freem,
  mtod, ntohl, panic, proc0, pru_send, sbspace, sizeof, sobind, soclose, soconnect, socreate, soreceive, soreserve, sosend,
  sosetopt, soshutdown, splsoftnet, splx, struct_sockaddr, struct_sockaddr_in, timeout_add, timeout_del, timeout_set,
  tsleep, u_int32_t, wakeup,
} from 'sonfs/sockets';
import type { FieldRef, Mbuf, Proc, Ref, Socket } from 'sonfs/sockets';
import {
  NFSINT_SIGMASK, NFSMNT_INT, NFSMNT_NOCONN, NFSMNT_RCVLOCK, NFSMNT_SNDLOCK, NFSMNT_SOFT, NFSMNT_WANTRCV,
  NFSMNT_WANTSND, NFSX_UNSIGNED, NFS_MAXPACKET, NFS_MAXPKTHDR, NFS_MAXREXMIT, Nfsmount,
  Nfsreq, RPC_MSGACCEPTED, RPC_MSGDENIED, RPC_REPLY, RPC_SUCCESS, R_MUSTRESEND, R_SOFTTERM,
  nfs_ticks, nfsstats,
} from './nfs.js';
import { fxdr_unsigned, nfs_realign, nfsm_dissect, nfsm_info, nfsm_rpchead, txdr_unsigned } from './nfs_subs.js';

type FlagRef = FieldRef<Nfsmount, 'nm_flag'>;

/*
 * Make the socket of a mount and connect it. On failure the mount is left disconnected and the
 * error returned.
 */
export async function nfs_connect(nmp: Nfsmount, rep: Nfsreq | null): Promise<number> { // port: async
  let so: Socket;
  let error: number;
  let s: number;
  let rcvreserve: number;
  let sndreserve: number;
  let m: Mbuf;

  nmp.nm_so = null;
  const saddr = mtod(nmp.nm_nam, struct_sockaddr);
  bad: { // port: goto
    error = socreate(saddr.sa_family, addr(nmp, 'nm_so'), nmp.nm_sotype, nmp.nm_soproto); // port: &nmp->nm_so
    if (error)
      break bad; // port: goto
    so = nmp.nm_so!; // port: nm_so is set (the type system cannot know)
    nmp.nm_soflags = so.so_proto.pr_flags;

    /*
     * Bind a reserved port, on the authority of proc0: servers may insist on one, and it keeps
     * unprivileged programs from taking the replies' port.
     */
    if (saddr.sa_family === AF_INET) {
      m = MGET(M_WAIT, MT_SOOPTS); // port: MGET assigns its argument
      m.m_len = sizeof(int32_t);
      mtod(m, int32_t)[0] = IP_PORTRANGE_LOW; // port: *mtod(m, int32_t *)
      error = sosetopt(so, IPPROTO_IP, IP_PORTRANGE, m);
      if (error)
        break bad; // port: goto

      m = MGET(M_WAIT, MT_SONAME); // port: MGET assigns its argument
      const sin = mtod(m, struct_sockaddr_in);
      sin.sin_len = m.m_len = sizeof(struct_sockaddr_in);
      sin.sin_family = AF_INET;
      sin.sin_addr.s_addr = INADDR_ANY;
      sin.sin_port = htons(0);
      error = await sobind(so, m, proc0); // port: await
      m_freem(m);
      if (error)
        break bad; // port: goto

      m = MGET(M_WAIT, MT_SOOPTS); // port: MGET assigns its argument
      m.m_len = sizeof(int32_t);
      mtod(m, int32_t)[0] = IP_PORTRANGE_DEFAULT; // port: *mtod(m, int32_t *)
      error = sosetopt(so, IPPROTO_IP, IP_PORTRANGE, m);
      if (error)
        break bad; // port: goto
    }

    /*
     * A datagram socket may be left unconnected, for servers that answer from another port.
     */
    if (nmp.nm_flag & NFSMNT_NOCONN) {
      if (nmp.nm_soflags & PR_CONNREQUIRED) {
        error = ENOTCONN;
        break bad; // port: goto
      }
    } else {
      error = soconnect(so, nmp.nm_nam);
      if (error)
        break bad; // port: goto

      /*
       * soconnect returns at once. Wait for the connection on so_timeo, in steps of two
       * seconds, so that an interruptible mount can give up.
       */
      s = splsoftnet();
      while ((so.so_state & SS_ISCONNECTING) && so.so_error === 0) {
        await tsleep(so.so_timeo, PSOCK, 'nfscon', 2 * hz); // port: await
        if ((so.so_state & SS_ISCONNECTING) && so.so_error === 0 && rep !== null &&
            (error = nfs_sigintr(nmp, rep, rep.r_procp)) !== 0) {
          so.so_state &= ~SS_ISCONNECTING;
          splx(s);
          break bad; // port: goto
        }
      }
      if (so.so_error) {
        error = so.so_error;
        so.so_error = 0;
        splx(s);
        break bad; // port: goto
      }
      splx(s);
    }

    /*
     * A receive timeout, so that a dead server is noticed and the connection made again; a
     * send timeout where the mount may give up.
     */
    so.so_rcv.sb_timeo = 5 * hz;
    if (nmp.nm_flag & (NFSMNT_SOFT | NFSMNT_INT))
      so.so_snd.sb_timeo = 5 * hz;
    else
      so.so_snd.sb_timeo = 0;

    /*
     * Room for a whole request in so_snd (a chain is sent atomically) and for replies in so_rcv.
     */
    if (nmp.nm_sotype === SOCK_DGRAM) {
      sndreserve = nmp.nm_wsize + NFS_MAXPKTHDR;
      rcvreserve = (Math.max(nmp.nm_rsize, nmp.nm_readdirsize) + NFS_MAXPKTHDR) * 2;
    } else {
      if (nmp.nm_soflags & PR_CONNREQUIRED) {
        m = MGET(M_WAIT, MT_SOOPTS); // port: MGET assigns its argument
        mtod(m, int32_t)[0] = 1; // port: *mtod(m, int32_t *)
        m.m_len = sizeof(int32_t);
        sosetopt(so, SOL_SOCKET, SO_KEEPALIVE, m);
      }
      if (so.so_proto.pr_protocol === IPPROTO_TCP) {
        m = MGET(M_WAIT, MT_SOOPTS); // port: MGET assigns its argument
        mtod(m, int32_t)[0] = 1; // port: *mtod(m, int32_t *)
        m.m_len = sizeof(int32_t);
        sosetopt(so, IPPROTO_TCP, TCP_NODELAY, m);
      }
      sndreserve = (nmp.nm_wsize + NFS_MAXPKTHDR + sizeof(u_int32_t)) * 2;
      rcvreserve = (nmp.nm_rsize + NFS_MAXPKTHDR + sizeof(u_int32_t)) * 2;
    }
    error = soreserve(so, sndreserve, rcvreserve);
    if (error)
      break bad; // port: goto
    so.so_rcv.sb_flags |= SB_NOINTR;
    so.so_snd.sb_flags |= SB_NOINTR;

    nmp.nm_timeouts = 0;
    return 0;
  }
  /* bad: */
  await nfs_disconnect(nmp); // port: await
  return error;
}

/*
 * The connection broke: make a new one and mark every request in progress to be sent again.
 * Called with the send lock held. Only a signal (interruptible mounts) or a soft mount's
 * timeout ends the attempts.
 */
export async function nfs_reconnect(rep: Nfsreq): Promise<number> { // port: async
  const nmp = rep.r_nmp;
  let error: number;

  await nfs_disconnect(nmp); // port: await
  nfsstats.reconnects++;
  while ((error = await nfs_connect(nmp, rep)) !== 0) { // port: await
    if (error === EINTR || error === ERESTART || nfs_sigintr(nmp, rep, rep.r_procp))
      return EINTR;
    await tsleep(lbolt, PSOCK, 'nfscon', 0); // port: await
  }
  for (const rp of nmp.nm_reqsq) { // port: TAILQ_FOREACH
    rp.r_flags |= R_MUSTRESEND;
    rp.r_rexmit = 0;
  }
  return 0;
}

/* Close the mount's socket, if it has one. */
export async function nfs_disconnect(nmp: Nfsmount): Promise<void> { // port: async
  let so: Socket;

  if (nmp.nm_so !== null) {
    so = nmp.nm_so;
    nmp.nm_so = null;
    soshutdown(so, SHUT_RDWR);
    await soclose(so); // port: await
  }
}

/*
 * Send chain `top` (consumed) on `so`. For a call (rep) a failure marks it to be sent again and
 * is reported only if it ends the call: EINTR, ERESTART, EWOULDBLOCK, EPIPE.
 */
export async function nfs_send(so: Socket, nam: Mbuf | null, top: Mbuf, rep: Nfsreq | null): Promise<number> { // port: async
  let sendnam: Mbuf | null;
  let error: number;
  let soflags: number;
  let flags: number;

  if (rep !== null) {
    if (rep.r_flags & R_SOFTTERM) {
      m_freem(top);
      return EINTR;
    }
    const nso = rep.r_nmp.nm_so; // port: so = nm_so, checked in a variable the type system can follow
    if (nso === null) {
      rep.r_flags |= R_MUSTRESEND;
      m_freem(top);
      return 0;
    }
    so = nso; // port: so = nm_so, checked in a variable the type system can follow
    rep.r_flags &= ~R_MUSTRESEND;
    soflags = rep.r_nmp.nm_soflags;
  } else {
    soflags = so.so_proto.pr_flags;
  }
  if ((soflags & PR_CONNREQUIRED) || (so.so_state & SS_ISCONNECTED))
    sendnam = null;
  else
    sendnam = nam;
  flags = so.so_type === SOCK_SEQPACKET ? MSG_EOR : 0;

  error = await sosend(so, sendnam, null, top, null, flags); // port: await
  if (error) {
    if (rep !== null) {
      if (rep.r_flags & R_SOFTTERM)
        error = EINTR;
      else
        rep.r_flags |= R_MUSTRESEND;
    }
    if (error !== EINTR && error !== ERESTART && error !== EWOULDBLOCK && error !== EPIPE)
      error = 0;
  }
  return error;
}

/*
 * Receive one reply for the mount of `rep` into *mp (the sender's address into *aname, for an
 * unconnected datagram socket). On a stream: the send lock keeps a reconnect out while requests
 * marked for it are sent again, then the record mark is read with MSG_WAITALL into a local word
 * and the record as an mbuf chain; a broken stream is reconnected and the wait starts over.
 */
export async function nfs_receive(rep: Nfsreq, aname: Ref<Mbuf | null>, mp: Ref<Mbuf | null>): Promise<number> { // port: async
  let so: Socket | null;
  const auio = new Uio(); // port: struct uio auio
  const aio = new Iovec(); // port: struct iovec aio
  let m: Mbuf;
  const control: Ref<Mbuf | null> = { value: null }; // port: struct mbuf *control, its address taken
  const len = new Uint32Array(1); // port: u_int32_t len, its address taken as memory
  let getnam: Ref<Mbuf | null> | null;
  let error = 0;
  let sotype: number;
  const rcvflg: Ref<number> = { value: 0 }; // port: int rcvflg, its address taken
  const p: Proc = curproc(); // port: curproc()

  mp.value = null; // port: *mp
  aname.value = null; // port: *aname
  sotype = rep.r_nmp.nm_sotype;

  if (sotype !== SOCK_DGRAM) {
    error = await nfs_sndlock(addr(rep.r_nmp, 'nm_flag'), rep); // port: await, &nm_flag
    if (error)
      return error;
    tryagain: for (;;) { // port: goto
      /*
       * Our reply may have come in meanwhile (another receiver matched it), or the call be over.
       */
      if (rep.r_mrep !== null || (rep.r_flags & R_SOFTTERM)) {
        nfs_sndunlock(addr(rep.r_nmp, 'nm_flag')); // port: &nm_flag
        return EINTR;
      }
      so = rep.r_nmp.nm_so;
      if (so === null) {
        error = await nfs_reconnect(rep); // port: await
        if (error) {
          nfs_sndunlock(addr(rep.r_nmp, 'nm_flag')); // port: &nm_flag
          return error;
        }
        continue tryagain; // port: goto
      }
      while (rep.r_flags & R_MUSTRESEND) {
        m = m_copym(rep.r_mreq, 0, M_COPYALL, M_WAIT);
        nfsstats.rpcretries++;
        error = await nfs_send(so, rep.r_nmp.nm_nam, m, rep); // port: await
        if (error) {
          if (error === EINTR || error === ERESTART || (error = await nfs_reconnect(rep)) !== 0) { // port: await
            nfs_sndunlock(addr(rep.r_nmp, 'nm_flag')); // port: &nm_flag
            return error;
          }
          continue tryagain; // port: goto
        }
      }
      nfs_sndunlock(addr(rep.r_nmp, 'nm_flag')); // port: &nm_flag

      errout: { // port: goto
        if (sotype === SOCK_STREAM) {
          aio.iov_base = caddr(len); // port: (caddr_t)&len
          aio.iov_len = sizeof(u_int32_t);
          auio.uio_iov = aio; // port: &aio
          auio.uio_iovcnt = 1;
          auio.uio_segflg = UIO_SYSSPACE;
          auio.uio_rw = UIO_READ;
          auio.uio_offset = 0;
          auio.uio_resid = sizeof(u_int32_t);
          auio.uio_procp = p;
          do {
            rcvflg.value = MSG_WAITALL; // port: rcvflg, its address taken
            error = await soreceive(so, null, auio, null, null, rcvflg, 0); // port: await
            if (error === EWOULDBLOCK && (rep.r_flags & R_SOFTTERM))
              return EINTR;
          } while (error === EWOULDBLOCK);
          if (!error && auio.uio_resid > 0)
            error = EPIPE; /* the stream ended inside a record mark */
          if (error)
            break errout; // port: goto

          len[0] = ntohl(len[0]) & ~0x80000000; // port: len, its address taken
          if (len[0] > NFS_MAXPACKET) { // port: len, its address taken
            /* Out of step with the server: only a new connection helps. */
            error = EFBIG;
            break errout; // port: goto
          }
          auio.uio_resid = len[0]; // port: len, its address taken
          do {
            rcvflg.value = MSG_WAITALL; // port: rcvflg, its address taken
            error = await soreceive(so, null, auio, mp, null, rcvflg, 0); // port: await
          } while (error === EWOULDBLOCK || error === EINTR || error === ERESTART);
          if (!error && auio.uio_resid > 0)
            error = EPIPE; /* the stream ended inside a record */
        } else {
          /*
           * Another stream protocol: a record per receive, with MSG_EOR at its end; control
           * messages are read and dropped.
           */
          auio.uio_resid = 100000000;
          auio.uio_procp = p;
          do {
            rcvflg.value = 0; // port: rcvflg, its address taken
            error = await soreceive(so, null, auio, mp, control, rcvflg, 0); // port: await
            m_freem(control.value); // port: control, its address taken
            if (error === EWOULDBLOCK && (rep.r_flags & R_SOFTTERM))
              return EINTR;
          } while (error === EWOULDBLOCK || (!error && mp.value === null && control.value !== null)); // port: *mp, control
          if (!error && mp.value === null) // port: *mp
            error = EPIPE;
        }
      }
      /* errout: */
      if (error && error !== EINTR && error !== ERESTART) {
        m_freem(mp.value); // port: *mp
        mp.value = null; // port: *mp
        error = await nfs_sndlock(addr(rep.r_nmp, 'nm_flag'), rep); // port: await, &nm_flag
        if (!error) {
          error = await nfs_reconnect(rep); // port: await
          if (!error)
            continue tryagain; // port: goto
          nfs_sndunlock(addr(rep.r_nmp, 'nm_flag')); // port: &nm_flag
        }
      }
      break;
    }
  } else {
    if ((so = rep.r_nmp.nm_so) === null)
      return EACCES;
    if (so.so_state & SS_ISCONNECTED)
      getnam = null;
    else
      getnam = aname;
    auio.uio_resid = 1000000;
    auio.uio_procp = p;
    do {
      rcvflg.value = 0; // port: rcvflg, its address taken
      error = await soreceive(so, getnam, auio, mp, null, rcvflg, 0); // port: await
      if (error === EWOULDBLOCK && (rep.r_flags & R_SOFTTERM))
        return EINTR;
    } while (error === EWOULDBLOCK);
  }
  if (error) {
    m_freem(mp.value); // port: *mp
    mp.value = null; // port: *mp
  }
  nfs_realign(mp);
  return error;
}

/*
 * Wait for the reply of `myrep`. Whoever holds the receive lock reads replies and hands each to
 * the request it answers (by xid); a receiver that finds its own reply delivered stops.
 */
export async function nfs_reply(myrep: Nfsreq): Promise<number> { // port: async
  const nmp = myrep.r_nmp;
  const nam: Ref<Mbuf | null> = { value: null }; // port: struct mbuf *nam, its address taken
  const mrep: Ref<Mbuf | null> = { value: null }; // port: struct mbuf *mrep, its address taken
  let error: number;

  for (;;) {
    error = await nfs_rcvlock(myrep); // port: await
    if (error)
      return error === EALREADY ? 0 : error;
    error = await nfs_receive(myrep, nam, mrep); // port: await
    nfs_rcvunlock(addr(nmp, 'nm_flag')); // port: &nm_flag
    if (error)
      return error;
    m_freem(nam.value); // port: nam, its address taken

    const info = nfsm_info(mrep.value!); // port: mrep is set (the type system cannot know)
    const tl = nfsm_dissect(info, 2 * NFSX_UNSIGNED);
    if (tl === null || tl[1] !== txdr_unsigned(RPC_REPLY)) {
      nfsstats.rpcinvalid++;
      m_freem(mrep.value); // port: mrep, its address taken
      continue;
    }
    const rxid = tl[0];

    let rep: Nfsreq | null = null;
    for (const r of nmp.nm_reqsq) { // port: TAILQ_FOREACH
      if (r.r_mrep === null && rxid === r.r_xid) {
        rep = r;
        r.r_mrep = mrep.value; // port: mrep, its address taken
        nmp.nm_timeouts = 0; /* the server answers: no more backing off */
        break;
      }
    }
    if (rep === null) {
      nfsstats.rpcunexpected++;
      m_freem(mrep.value); // port: mrep, its address taken
    } else if (rep === myrep) {
      return 0;
    }
  }
}

/*
 * Make a call of procedure `procnum` (its arguments, if any, after the header nfsm_rpchead
 * builds) and wait for its reply: 0 with the reply's RPC header checked (a success), or an
 * errno. The reply's bytes are returned through `mrepp` when it is given (the caller frees
 * them).
 */
export async function nfs_request(nmp: Nfsmount, procnum: number, procp: Proc | null, mrepp: Ref<Mbuf | null> | null): Promise<number> { // port: async
  let m: Mbuf;
  let error = 0;
  const rep = new Nfsreq(nmp, procp); // port: pool_get

  m = nfsm_rpchead(rep, procnum);
  if (nmp.nm_sotype === SOCK_STREAM) {
    m = M_PREPEND(m, NFSX_UNSIGNED, M_WAIT); // port: M_PREPEND assigns its argument
    mtod(m, u_int32_t)[0] = htonl(0x80000000 | (m.m_pkthdr.len - NFSX_UNSIGNED)); // port: *mtod(m, u_int32_t *)
  }
  rep.r_mreq = m;
  rep.r_rtt = 0;
  rep.r_rexmit = 0;
  rep.r_flags = 0;
  nfsstats.rpcrequests++;

  const s = splsoftnet();
  if (nmp.nm_reqsq.length === 0) // port: TAILQ_EMPTY
    timeout_add(nmp.nm_rtimeout, nfs_ticks);
  nmp.nm_reqsq.push(rep); // port: TAILQ_INSERT_TAIL
  splx(s);

  /*
   * Send a copy (the request is kept to be sent again), under the send lock on a stream. With
   * no socket (a reconnect failed), it is marked to be sent once there is one.
   */
  if (nmp.nm_so === null) {
    rep.r_flags |= R_MUSTRESEND;
  } else {
    if (nmp.nm_soflags & PR_CONNREQUIRED)
      error = await nfs_sndlock(addr(nmp, 'nm_flag'), rep); // port: await, &nm_flag
    if (!error) {
      error = await nfs_send(nmp.nm_so, nmp.nm_nam, m_copym(m, 0, M_COPYALL, M_WAIT), rep); // port: await
      if (nmp.nm_soflags & PR_CONNREQUIRED)
        nfs_sndunlock(addr(nmp, 'nm_flag')); // port: &nm_flag
    }
  }

  if (!error || error === EPIPE)
    error = await nfs_reply(rep); // port: await

  const s2 = splsoftnet();
  nmp.nm_reqsq.splice(nmp.nm_reqsq.indexOf(rep), 1); // port: TAILQ_REMOVE
  if (nmp.nm_reqsq.length === 0) // port: TAILQ_EMPTY
    timeout_del(nmp.nm_rtimeout);
  splx(s2);

  nfsmout: { // port: goto
    if (error)
      break nfsmout; // port: goto
    /* The reply header: xid, REPLY, then accepted or denied. */
    const info = nfsm_info(rep.r_mrep!); // port: r_mrep is set (the type system cannot know)
    let tl = nfsm_dissect(info, 5 * NFSX_UNSIGNED);
    if (tl === null) {
      error = EPROTONOSUPPORT;
      break nfsmout; // port: goto
    }
    if (tl[2] === txdr_unsigned(RPC_MSGDENIED)) {
      error = tl[3] === 0 ? EOPNOTSUPP : EACCES; /* RPC_MISMATCH, or an authentication error */
      break nfsmout; // port: goto
    }
    if (tl[2] !== txdr_unsigned(RPC_MSGACCEPTED)) {
      error = EPROTONOSUPPORT;
      break nfsmout; // port: goto
    }
    /* The verifier: its flavor was tl[3], its length tl[4]; step over its body. */
    const vlen = fxdr_unsigned(tl[4]);
    if (vlen > 0 && nfsm_dissect(info, (vlen + 3) & ~3) === null) {
      error = EPROTONOSUPPORT;
      break nfsmout; // port: goto
    }
    tl = nfsm_dissect(info, NFSX_UNSIGNED);
    if (tl === null || tl[0] !== txdr_unsigned(RPC_SUCCESS))
      error = EPROTONOSUPPORT;
  }
  /* nfsmout: */
  if (!error && mrepp !== null) {
    mrepp.value = rep.r_mrep; // port: *mrepp
  } else {
    m_freem(rep.r_mrep);
  }
  m_freem(rep.r_mreq);
  return error;
}

/*
 * The retransmit timer, every nfs_ticks while requests are in progress (nfs_request starts it
 * with the first, it stops after the last). A request whose timeout has passed — nm_timeo runs
 * of the timer, doubled for each timeout in a row — counts a retransmit, and a datagram is sent
 * again; a soft mount gives up after nm_retry of them, and a signal ends a call on an
 * interruptible mount.
 */
export function nfs_timer(nmp: Nfsmount): void {
  let so: Socket | null;
  let m: Mbuf;
  let timeo: number;
  let error: number;

  const s = splsoftnet();
  for (const rep of nmp.nm_reqsq) { // port: TAILQ_FOREACH
    if (rep.r_mrep !== null || (rep.r_flags & R_SOFTTERM))
      continue;
    if (nfs_sigintr(nmp, rep, rep.r_procp)) {
      rep.r_flags |= R_SOFTTERM;
      continue;
    }
    timeo = nmp.nm_timeo << Math.min(nmp.nm_timeouts, 8);
    if (++rep.r_rtt <= timeo)
      continue;
    rep.r_rtt = 0;
    if (nmp.nm_timeouts < 8)
      nmp.nm_timeouts++;
    if ((nmp.nm_flag & NFSMNT_SOFT) && rep.r_rexmit >= nmp.nm_retry) {
      nfsstats.rpctimeouts++;
      rep.r_flags |= R_SOFTTERM;
      continue;
    }
    if (++rep.r_rexmit > NFS_MAXREXMIT)
      rep.r_rexmit = NFS_MAXREXMIT;

    /*
     * A stream does not lose requests: its receive timeout notices a dead server. A datagram
     * is sent again, straight to the protocol (this runs from a timeout and must not sleep),
     * if so_snd has room for it.
     */
    if (nmp.nm_sotype !== SOCK_DGRAM || (so = nmp.nm_so) === null)
      continue;
    if (sbspace(so.so_snd) < rep.r_mreq.m_pkthdr.len)
      continue;
    m = m_copym(rep.r_mreq, 0, M_COPYALL, M_DONTWAIT);
    if ((nmp.nm_flag & NFSMNT_NOCONN) === 0)
      error = pru_send(so, m, null, null); // port: 2009's pr_usrreq(so, PRU_SEND, ...) is the pru_send of the table
    else
      error = pru_send(so, m, nmp.nm_nam, null); // port: 2009's pr_usrreq(so, PRU_SEND, ...) is the pru_send of the table
    if (error)
      so.so_error = 0; /* an ICMP error on a datagram socket: try again at the next timeout */
    else
      nfsstats.rpcretries++;
  }
  if (nmp.nm_reqsq.length !== 0) // port: TAILQ_EMPTY
    timeout_add(nmp.nm_rtimeout, nfs_ticks);
  splx(s);
}

/* The socket side of mounting: the timer set up, the socket connected. */
export async function nfs_mount(nmp: Nfsmount): Promise<number> { // port: async
  timeout_set(nmp.nm_rtimeout, nfs_timer, nmp);
  return await nfs_connect(nmp, null); // port: await
}

/* The socket side of unmounting: the timer stopped, the socket closed. */
export async function nfs_unmount(nmp: Nfsmount): Promise<void> { // port: async
  timeout_del(nmp.nm_rtimeout);
  await nfs_disconnect(nmp); // port: await
}

/*
 * Is the call over? EINTR if a soft mount gave up on it, or, on an interruptible mount, if its
 * process has a signal pending that it neither blocks nor ignores.
 */
export function nfs_sigintr(nmp: Nfsmount, rep: Nfsreq | null, p: Proc | null): number {
  if (rep !== null && (rep.r_flags & R_SOFTTERM))
    return EINTR;
  if (!(nmp.nm_flag & NFSMNT_INT))
    return 0;
  if (p !== null && p.p_siglist && (((p.p_siglist & ~p.p_sigmask) & ~p.p_sigignore) & NFSINT_SIGMASK))
    return EINTR;
  return 0;
}

/*
 * The send lock of a stream mount: one sender (or reconnector) at a time, so that a request is
 * written whole and a reconnect does not pull the socket from under a sender.
 */
export async function nfs_sndlock(flagp: FlagRef, rep: Nfsreq | null): Promise<number> { // port: async, int *flagp
  let p: Proc | null;
  let slpflag = 0;
  let slptimeo = 0;

  if (rep !== null) {
    p = rep.r_procp;
    if (rep.r_nmp.nm_flag & NFSMNT_INT)
      slpflag = PCATCH;
  } else {
    p = null;
  }
  while (flagp.value & NFSMNT_SNDLOCK) { // port: *flagp
    if (rep !== null && nfs_sigintr(rep.r_nmp, rep, p))
      return EINTR;
    flagp.value |= NFSMNT_WANTSND; // port: *flagp
    await tsleep(flagp, slpflag | (PZERO - 1), 'nfsndlck', slptimeo); // port: await
    if (slpflag === PCATCH) {
      slpflag = 0;
      slptimeo = 2 * hz;
    }
  }
  flagp.value |= NFSMNT_SNDLOCK; // port: *flagp
  return 0;
}

/* Release the send lock. */
export function nfs_sndunlock(flagp: FlagRef): void { // port: int *flagp
  if ((flagp.value & NFSMNT_SNDLOCK) === 0) // port: *flagp
    panic('nfs sndunlock');
  flagp.value &= ~NFSMNT_SNDLOCK; // port: *flagp
  if (flagp.value & NFSMNT_WANTSND) { // port: *flagp
    flagp.value &= ~NFSMNT_WANTSND; // port: *flagp
    wakeup(flagp);
  }
}

/*
 * The receive lock: one receiver at a time, so that nobody sleeps in sbwait for a reply another
 * receiver has already taken. EALREADY (the lock not taken) once our reply is in.
 */
export async function nfs_rcvlock(rep: Nfsreq): Promise<number> { // port: async
  const flagp = addr(rep.r_nmp, 'nm_flag'); // port: &rep->r_nmp->nm_flag
  let slpflag: number;
  let slptimeo = 0;

  if (flagp.value & NFSMNT_INT) // port: *flagp
    slpflag = PCATCH;
  else
    slpflag = 0;
  if (rep.r_mrep !== null)
    return EALREADY; /* a receiver took our reply since we last held the lock */
  while (flagp.value & NFSMNT_RCVLOCK) { // port: *flagp
    if (nfs_sigintr(rep.r_nmp, rep, rep.r_procp))
      return EINTR;
    flagp.value |= NFSMNT_WANTRCV; // port: *flagp
    await tsleep(flagp, slpflag | (PZERO - 1), 'nfsrcvlk', slptimeo); // port: await
    if (rep.r_mrep !== null)
      return EALREADY;
    if (slpflag === PCATCH) {
      slpflag = 0;
      slptimeo = 2 * hz;
    }
  }
  flagp.value |= NFSMNT_RCVLOCK; // port: *flagp
  return 0;
}

/* Release the receive lock. */
export function nfs_rcvunlock(flagp: FlagRef): void { // port: int *flagp
  if ((flagp.value & NFSMNT_RCVLOCK) === 0) // port: *flagp
    panic('nfs rcvunlock');
  flagp.value &= ~NFSMNT_RCVLOCK; // port: *flagp
  if (flagp.value & NFSMNT_WANTRCV) { // port: *flagp
    flagp.value &= ~NFSMNT_WANTRCV; // port: *flagp
    wakeup(flagp);
  }
}
