// Graceful shutdown of the HTTP(S) server, as OPA's `--shutdown-grace-period`: stop accepting
// connections, let the requests in flight finish (their responses say `Connection: close`),
// close idle keep-alive connections, and destroy whatever is still open when the grace period
// ends (an upload that never completes would otherwise hold the process for Node's 5-minute
// requestTimeout).
import type * as http from 'node:http';
import type * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';

/** Shuts the server down within `graceMs`; resolves once nothing is left open. Idempotent. */
export type Shutdown = (graceMs: number) => Promise<void>;

/**
 * Tracks the server's connections, and the requests in flight on each, from now on (call it
 * before the server takes traffic); the returned function shuts the server down gracefully.
 */
export function trackConnections(server: http.Server | https.Server): Shutdown {
  /** Every open socket: the TCP ones and, under HTTPS, the TLS sockets on top of them. */
  const sockets = new Set<net.Socket>();
  /** HTTP connections (the sockets requests arrive on) → requests in flight on each. */
  const requests = new Map<net.Socket, number>();
  /** Responses not yet finished. */
  const responses = new Set<http.ServerResponse>();
  let stopping: Promise<void> | undefined;

  const track = (socket: net.Socket, carriesHttp: boolean): void => {
    sockets.add(socket);
    if (carriesHttp) requests.set(socket, 0);
    socket.once('close', () => {
      sockets.delete(socket);
      requests.delete(socket);
    });
  };
  /** Closes a connection with no request in flight that its last response did not close. */
  const closeIfIdle = (socket: net.Socket): void => {
    if (requests.get(socket) === 0 && !socket.writableEnded) socket.destroy();
  };

  const secure = server instanceof tls.Server;
  server.on('connection', (socket: net.Socket) => track(socket, !secure));
  if (secure) server.on('secureConnection', (socket: tls.TLSSocket) => track(socket, true));
  // First among the listeners, so the header is set before the app can answer.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    if (!requests.has(socket)) track(socket, true); // accepted before tracking began
    requests.set(socket, (requests.get(socket) ?? 0) + 1);
    responses.add(res);
    if (stopping) res.setHeader('Connection', 'close');
    res.once('close', () => {
      responses.delete(res);
      const left = requests.get(socket);
      if (left === undefined) return; // the connection is gone
      requests.set(socket, left - 1);
      // Node has already ended the connection when the response said `Connection: close`;
      // one whose headers went out before the signal stays open, idle, until closed here.
      if (stopping) closeIfIdle(socket);
    });
  });

  return (graceMs) =>
    (stopping ??= new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
        resolve();
      }, graceMs);
      // net.Server's close, not http.Server's: that one also destroys at once the connections it
      // sees idle, and so resets a request the client had sent before the signal that this
      // process has not read yet. Idle connections are closed one event-loop turn later, once
      // every request already received has been parsed (and so counts as in flight).
      net.Server.prototype.close.call(server, () => {
        clearTimeout(deadline);
        resolve();
      });
      for (const res of responses) if (!res.headersSent) res.setHeader('Connection', 'close');
      setImmediate(() => {
        for (const socket of requests.keys()) closeIfIdle(socket);
      });
    }));
}
