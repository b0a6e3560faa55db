/*
 * Raw IP sockets: a protosw entry whose attach only decides the errno (netinet/raw_ip.c's
 * rip_attach). Node cannot open raw sockets, so: EACCES for a socket created without privilege
 * (SS_PRIV clear: curproc at socreate was not root), EPROTONOSUPPORT otherwise.
 */
import { PR_ADDR, PR_ATOMIC, SOCK_RAW, SS_PRIV } from '../constants.js';
import { EACCES, EOPNOTSUPP, EPROTONOSUPPORT } from '../errno.js';
import { m_freem } from '../mbuf.js';
import type { Domain, ProtoUsrreqs, Protosw } from '../protosw.js';

const usrreqs: ProtoUsrreqs = {
  pru_attach: (so) => (so.so_state & SS_PRIV ? EPROTONOSUPPORT : EACCES),
  pru_detach: (so) => {
    so.so_pcb = null;
  },
  pru_bind: async () => EOPNOTSUPP,
  pru_listen: async () => EOPNOTSUPP,
  pru_connect: () => EOPNOTSUPP,
  pru_connect2: () => EOPNOTSUPP,
  pru_disconnect: () => EOPNOTSUPP,
  pru_shutdown: () => EOPNOTSUPP,
  pru_rcvd: () => undefined,
  pru_send: (so, m, nam, control) => {
    m_freem(m);
    m_freem(control);
    return EOPNOTSUPP;
  },
  pru_abort: () => undefined,
  pru_sockaddr: () => null,
  pru_peeraddr: () => null,
};

/** The wildcard raw entry (pr_protocol 0 matches any protocol for SOCK_RAW). */
export function raw_protosw(dom: Domain): Protosw {
  return { pr_type: SOCK_RAW, pr_domain: dom, pr_protocol: 0, pr_flags: PR_ATOMIC | PR_ADDR, pr_usrreqs: usrreqs, pr_ctloutput: null };
}
