import { Server } from 'node:http';
import { Socket } from 'node:net';

/**
 * Limits on the connections of the HTTP server, so that no client can hold the server's sockets: a
 * connection that sends no complete header in `headersMs`, no complete request in `requestMs`, or stays
 * idle (between requests, or silent) for `idleMs` is closed; one client address holds at most
 * `perClient` connections at once (more are closed as they arrive) and the server at most `total`.
 */
export interface ConnectionLimits {
  headersMs: number;
  requestMs: number;
  /** Idle keep-alive between requests. */
  keepAliveMs: number;
  /** A socket with no traffic at all for this long is destroyed (also one that never sends a byte). */
  idleMs: number;
  /** How often Node checks the header and request timeouts (it is 30 s by default). */
  checkEveryMs: number;
  perClient: number;
  total: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersMs: 10_000,
  requestMs: 60_000,
  keepAliveMs: 5_000,
  idleMs: 30_000,
  checkEveryMs: 1_000,
  perClient: 128,
  total: 4_096,
};

/** The options of `http.createServer` these limits need at creation (the check interval can only be set there). */
export const serverOptions = (l: ConnectionLimits) => ({ connectionsCheckingInterval: l.checkEveryMs, headersTimeout: l.headersMs, requestTimeout: l.requestMs, keepAliveTimeout: l.keepAliveMs });

/** Applies the limits to a server (the timeouts again, for a server created elsewhere, and the caps). */
export function applyConnectionLimits(server: Server, l: ConnectionLimits): void {
  server.headersTimeout = l.headersMs;
  server.requestTimeout = l.requestMs;
  server.keepAliveTimeout = l.keepAliveMs;
  server.maxConnections = l.total;
  // a socket silent for idleMs is destroyed, unless a request on it is still being answered
  const busy = new WeakSet<object>();
  server.on('request', (req, res) => {
    busy.add(req.socket);
    res.once('close', () => busy.delete(req.socket));
  });

  const perAddress = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const who = socket.remoteAddress ?? '?';
    const n = (perAddress.get(who) ?? 0) + 1;
    if (n > l.perClient) {
      socket.destroy();
      return;
    }
    perAddress.set(who, n);
    // Node's own server.timeout does not reach a socket that never sends a byte: set on each socket
    socket.setTimeout(l.idleMs);
    socket.on('timeout', () => {
      if (!busy.has(socket)) socket.destroy();
    });
    socket.once('close', () => {
      const left = (perAddress.get(who) ?? 1) - 1;
      if (left <= 0) perAddress.delete(who);
      else perAddress.set(who, left);
    });
  });
}
