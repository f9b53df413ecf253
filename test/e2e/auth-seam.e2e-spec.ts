// The authentication seam (server option `authenticate`) and per-session ordering
// (`preserveReceiveOrder`), over real sockets.
import { StompError, StompErrorCode, type StompAuthenticator, type StompSession } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { deferred, once } from '../support/wait.js';

useCleanup();

function connectSeen(ts: TestServer): Promise<[StompSession, Record<string, string>]> {
  return once<[StompSession, Record<string, string>]>(
    (listener) => {
      ts.server.on('session-connect', listener);
      return () => ts.server.off('session-connect', listener);
    },
    () => true,
    3_000,
    'session-connect',
  );
}

describe.each(TRANSPORTS)('authenticate over %s', (transport) => {
  it('a principal from the CONNECT headers: CONNECTED user-name, session.principal, registry', async () => {
    const seen: Parameters<StompAuthenticator>[0][] = [];
    const ts = await startServer({
      authenticate: (request) => {
        seen.push(request);
        return { name: request.headers.login!, role: 'admin' };
      },
    });
    const client = await connectClient(ts, transport, { connectHeaders: { login: 'alice', passcode: 'secret' } });
    expect(client.connectedFrame.headers['user-name']).toBe('alice');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.passcode).toBe('secret');
    const session = ts.server.sessions.get(client.connectedFrame.headers.session!)!;
    expect(seen[0]!.session).toBe(session);
    expect(session.principal).toEqual({ name: 'alice', role: 'admin' });
    // The upgrade request is there for WebSocket sessions only.
    expect(seen[0]!.upgradeRequest === undefined).toBe(transport === 'tcp');
    expect(session.upgradeRequest === undefined).toBe(transport === 'tcp');
    expect(ts.server.userRegistry.getUser('alice')?.sessions.has(session.id)).toBe(true);
  });

  it('a throwing authenticator: ERROR "Authentication failed" + close, never CONNECTED', async () => {
    const ts = await startServer({
      authenticate: () => {
        throw new Error('database password is hunter2');
      },
    });
    const raw = await RawClient.open(ts, transport);
    const closed = ts.nextSessionClosed();
    raw.send('CONNECT', { 'accept-version': '1.2', login: 'eve', receipt: 'c1' });
    raw.send('SUBSCRIBE', { id: '1', destination: '/topic/x', receipt: 'r1' });
    const error = await raw.expectErrorThenClose();
    expect(error.headers.message).toBe('Authentication failed');
    expect(error.body.toString()).not.toContain('hunter2');
    expect(raw.frames.all.map((f) => f.command)).toEqual(['ERROR']);
    expect((await closed)[1]?.code).toBe(StompErrorCode.AUTHENTICATION_FAILED);
    expect(ts.closedEvents).toHaveLength(1);
    expect(ts.server.sessions.size).toBe(0);
  });

  it('an async rejection with a StompError shows its message; nothing after CONNECT runs', async () => {
    const ts = await startServer({
      authenticate: async ({ headers }) => {
        await Promise.resolve();
        throw new StompError(StompErrorCode.ACCESS_DENIED, `Bad credentials for ${headers.login}`);
      },
    });
    const delivered: string[] = [];
    ts.server.on('session-subscribe', (_s, sub) => delivered.push(sub.destination));
    const raw = await RawClient.open(ts, transport);
    const closed = ts.nextSessionClosed();
    raw.send('CONNECT', { 'accept-version': '1.2', login: 'eve' });
    raw.send('SUBSCRIBE', { id: '1', destination: '/topic/x', receipt: 'r1' });
    const error = await raw.expectErrorThenClose();
    expect(error.headers.message).toBe('Bad credentials for eve');
    expect(raw.frames.all.map((f) => f.command)).toEqual(['ERROR']);
    expect((await closed)[1]?.code).toBe(StompErrorCode.AUTHENTICATION_FAILED);
    expect(delivered).toEqual([]);
  });

  it.each([true, false])('async authenticate keeps frame order (preserveReceiveOrder %p): a SUBSCRIBE pipelined after CONNECT works', async (preserveReceiveOrder) => {
    const release = deferred<void>();
    const ts = await startServer({
      preserveReceiveOrder,
      authenticate: async ({ headers }) => {
        await release.promise;
        return { name: headers.login! };
      },
    });
    const raw = await RawClient.open(ts, transport);
    const connecting = connectSeen(ts);
    // One write: CONNECT, SUBSCRIBE /user/queue/x, SEND to oneself through /user/{name}/..., all before CONNECTED.
    raw.write(
      Buffer.concat([
        Buffer.from('CONNECT\naccept-version:1.2\nlogin:alice\n\n\0'),
        Buffer.from('SUBSCRIBE\nid:s1\ndestination:/user/queue/x\nreceipt:sub\n\n\0'),
        Buffer.from('SEND\ndestination:/user/alice/queue/x\nreceipt:sent\n\nhello me\0'),
      ]),
    );
    const [session] = await connecting;
    expect(session.principal).toBeUndefined(); // session-connect comes before the authentication result
    release.resolve();
    const frames = await raw.frames.take(4);
    expect(frames.map((f) => f.command)).toEqual(['CONNECTED', 'RECEIPT', 'MESSAGE', 'RECEIPT']);
    expect(frames[0]!.headers['user-name']).toBe('alice');
    expect(frames[1]!.headers['receipt-id']).toBe('sub');
    expect(frames[2]!.headers.destination).toBe('/user/queue/x');
    expect(frames[2]!.body.toString()).toBe('hello me');
    expect(frames[3]!.headers['receipt-id']).toBe('sent');
  });

  it('a client gone while authentication is pending is never connected nor registered', async () => {
    const started = deferred<void>();
    const release = deferred<void>();
    const ts = await startServer({
      authenticate: async () => {
        started.resolve();
        await release.promise;
        return { name: 'ghost' };
      },
    });
    const connected: StompSession[] = [];
    ts.server.on('session-connected', (s) => connected.push(s));
    const raw = await RawClient.open(ts, transport);
    raw.send('CONNECT', { 'accept-version': '1.2' });
    await started.promise;
    const closed = ts.nextSessionClosed();
    raw.destroy();
    await closed;
    release.resolve();
    await release.promise;
    await new Promise((resolve) => setImmediate(resolve)); // let the authenticator's continuation run
    expect(connected).toEqual([]);
    expect(ts.server.userRegistry.userCount).toBe(0);
    expect(ts.closedEvents).toHaveLength(1);
  });
});

describe('authenticate: bad results', () => {
  it('a principal without a name refuses the connection', async () => {
    const ts = await startServer({ authenticate: () => ({ name: '' }) });
    const raw = await RawClient.open(ts, 'tcp');
    raw.send('CONNECT', { 'accept-version': '1.2' });
    expect((await raw.expectErrorThenClose()).headers.message).toBe('Authentication failed');
  });

  it('null is an anonymous session', async () => {
    const ts = await startServer({ authenticate: () => null as never });
    const raw = await RawClient.open(ts, 'tcp');
    const connected = await raw.connect();
    expect(connected.headers['user-name']).toBeUndefined();
    expect(ts.server.sessions.get(connected.headers.session!)!.principal).toBeUndefined();
  });
});

describe('the WebSocket upgrade request', () => {
  it('authenticate may read the upgrade request (query string of the WebSocket URL)', async () => {
    const ts = await startServer({
      authenticate: ({ upgradeRequest }) => {
        const token = new URL(upgradeRequest?.url ?? '/', 'http://x').searchParams.get('token');
        if (token !== 'zoe-token') throw new StompError(StompErrorCode.AUTHENTICATION_FAILED, 'Bad token');
        return { name: 'zoe' };
      },
    });
    const good = await RawClient.open({ ...ts, wsUrl: `${ts.wsUrl}?token=zoe-token` }, 'ws');
    expect((await good.connect()).headers['user-name']).toBe('zoe');
    const bad = await RawClient.open({ ...ts, wsUrl: `${ts.wsUrl}?token=forged` }, 'ws');
    bad.send('CONNECT', { 'accept-version': '1.2' });
    expect((await bad.expectErrorThenClose()).headers.message).toBe('Bad token');
  });
});

describe('preserveReceiveOrder', () => {
  /** An application on /app whose handler for /app/slow waits for `gate`; `started` when it runs. */
  function slowApplication(ts: TestServer, gate: Promise<void>) {
    const started = deferred<void>();
    ts.server.application = {
      handles: (destination) => destination.startsWith('/app/'),
      send: async (_session, frame) => {
        started.resolve();
        await gate;
        ts.server.publish('/topic/out', `done ${frame.body.toString()}`);
      },
      subscribe: () => undefined,
    };
    return started.promise;
  }

  /** SEND /app/slow (receipt 'slow') then SEND /topic/out (receipt 'fast') in one write: both are read in one turn. */
  async function slowThenFast(ts: TestServer): Promise<RawClient> {
    const raw = await RawClient.open(ts, 'tcp');
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 'out', destination: '/topic/out' });
    raw.write(
      Buffer.concat([
        Buffer.from('SEND\ndestination:/app/slow\nreceipt:slow\n\nA\0'),
        Buffer.from('SEND\ndestination:/topic/out\nreceipt:fast\n\nB\0'),
      ]),
    );
    return raw;
  }

  const order = (raw: RawClient) => raw.frames.all.map((f) => f.headers['receipt-id'] ?? f.body.toString());

  it('false: a later frame overtakes a frame whose async handler is still running', async () => {
    const ts = await startServer({ preserveReceiveOrder: false });
    const gate = deferred<void>();
    const started = slowApplication(ts, gate.promise);
    const raw = await slowThenFast(ts);
    await started;
    // The fast frame took effect (MESSAGE and RECEIPT) while the slow handler still waits.
    await raw.receipt('fast');
    gate.resolve();
    await raw.receipt('slow');
    expect(order(raw).slice(1)).toEqual(['B', 'fast', 'done A', 'slow']);
  });

  it('true (default): the later frame waits for the async handler', async () => {
    const ts = await startServer();
    expect(ts.server.options.preserveReceiveOrder).toBe(true);
    const gate = deferred<void>();
    const started = slowApplication(ts, gate.promise);
    const raw = await slowThenFast(ts);
    await started; // the fast frame was decoded in the same turn: it waits in the session's inbox
    gate.resolve();
    await raw.receipt('fast');
    expect(order(raw).slice(1)).toEqual(['done A', 'slow', 'B', 'fast']);
  });
});
