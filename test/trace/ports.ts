/* A URL naming a TCP port on 127.0.0.1 that nothing listens on (connections are refused). */
import net from 'node:net';

export async function closedPortUrl(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return `nfs://127.0.0.1/x?nfsport=${port}&mountport=${port}&soft=1&retrans=0&timeo=10`;
}
