/*
 * The domains sonfs offers (kern/uipc_domain.c's table): inet and inet6 (TCP, UDP, raw) and
 * local (stream, seqpacket, datagram). Importing this module registers them.
 */
import { AF_INET, AF_INET6, AF_LOCAL } from '../constants.js';
import { domain_add } from '../protosw.js';
import type { Domain } from '../protosw.js';
import { raw_protosw } from './raw.js';
import { tcp_protosw } from './tcp.js';
import { udp_protosw } from './udp.js';
import { unix_protosws } from './unix.js';

function inetdomain(family: number, name: string): Domain {
  const dom: Domain = { dom_family: family, dom_name: name, dom_protosw: [], dom_dispose: null };
  dom.dom_protosw.push(tcp_protosw(dom), udp_protosw(dom), raw_protosw(dom));
  return dom;
}

const localdomain: Domain = { dom_family: AF_LOCAL, dom_name: 'local', dom_protosw: [], dom_dispose: null };
localdomain.dom_protosw.push(...unix_protosws(localdomain));

domain_add(inetdomain(AF_INET, 'inet'));
domain_add(inetdomain(AF_INET6, 'inet6'));
domain_add(localdomain);
