// Framing on the wire: CRLF line ends, repeated headers, odd header names, frames split across or
// packed into transport chunks/messages, stompjs splitLargeFrames, oversized WebSocket messages.
import WebSocket from 'ws';
import { Client, type IStompSocket } from '@stomp/stompjs';
import { useCleanup, onCleanup } from '../support/cleanup.js';
import { buildFrame } from '../support/frame-parser.js';
import { RawClient, STOMP_WS_PROTOCOLS, TRANSPORTS } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { deferred, withTimeout } from '../support/wait.js';

useCleanup();

let ts: TestServer;
beforeEach(async () => {
  ts = await startServer();
});

describe.each(TRANSPORTS)('framing over %s', (transport) => {
  it('STOMP 1.2: CRLF line ends are accepted everywhere', async () => {
    const raw = await RawClient.open(ts, transport);
    raw.write('CONNECT\r\naccept-version:1.2\r\nhost:x\r\n\r\n\0\r\n');
    expect((await raw.nextFrame()).command).toBe('CONNECTED');
    raw.write('SUBSCRIBE\r\nid:s\r\ndestination:/topic/crlf\r\n\r\n\0');
    raw.write('SEND\r\ndestination:/topic/crlf\r\nx-h:v\r\nreceipt:r\r\n\r\ncrlf body\0\r\n\r\n');
    const message = await raw.waitFor((f) => f.command === 'MESSAGE');
    expect(message.body.toString()).toBe('crlf body');
    // The CR is part of the EOL, not of the value.
    expect(message.headers['x-h']).toBe('v');
    await raw.receipt('r');
  });

  it('repeated headers: the first occurrence wins', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 's', destination: '/topic/first' });
    raw.send('SEND', [
      ['destination', '/topic/first'],
      ['destination', '/topic/second'],
      ['x-dup', 'one'],
      ['x-dup', 'two'],
      ['receipt', 'r'],
    ], 'dup');
    await raw.receipt('r');
    const message = raw.messages()[0]!;
    expect(message.headers.destination).toBe('/topic/first');
    expect(message.rawHeaders.filter(([name]) => name === 'x-dup')).toEqual([['x-dup', 'one']]);
  });

  it('header names like __proto__ and constructor are carried as plain headers', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 's', destination: '/topic/proto' });
    raw.send('SEND', [
      ['destination', '/topic/proto'],
      ['__proto__', 'p'],
      ['constructor', 'c'],
      ['toString', 't'],
      ['receipt', 'r'],
    ], 'x');
    await raw.receipt('r');
    const message = raw.messages()[0]!;
    expect(message.rawHeaders).toEqual(expect.arrayContaining([['__proto__', 'p'], ['constructor', 'c'], ['toString', 't']]));
  });

  it('several frames in one chunk/message, and heart-beat EOLs between them', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.write(
      Buffer.concat([
        buildFrame('SUBSCRIBE', { id: 's', destination: '/topic/packed' }),
        Buffer.from('\n\r\n'),
        buildFrame('SEND', { destination: '/topic/packed' }, 'a'),
        buildFrame('SEND', { destination: '/topic/packed', 'content-length': '1' }, 'b'),
        Buffer.from('\n'),
        buildFrame('SEND', { destination: '/topic/packed', receipt: 'r' }, 'c'),
      ]),
    );
    await raw.receipt('r');
    expect(raw.messages().map((m) => m.body.toString())).toEqual(['a', 'b', 'c']);
  });

  it('one frame split into many chunks/messages (down to one byte each)', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 's', destination: '/topic/split', receipt: 'sub' });
    await raw.receipt('sub');
    const body = Buffer.from('split body \0 with a NUL');
    const frame = buildFrame(
      'SEND',
      { destination: '/topic/split', 'x-esc': 'a\\cb', 'content-length': String(body.length), receipt: 'r' },
      body,
    );
    for (let i = 0; i < frame.length; i++) raw.write(frame.subarray(i, i + 1));
    await raw.receipt('r');
    const message = raw.messages()[0]!;
    expect(message.body.equals(body)).toBe(true);
    expect(message.headers['x-esc']).toBe('a:b');
  });
});

describe('STOMP over WebSocket specifics', () => {
  it('stompjs splitLargeFrames (frame spread over 1 KiB WS messages) is reassembled', async () => {
    const consumer = await connectClient(ts, 'tcp');
    const inbox = await consumer.subscribe('/topic/large');
    const connected = deferred<void>();
    const client = new Client({
      webSocketFactory: () => new WebSocket(ts.wsUrl, STOMP_WS_PROTOCOLS) as unknown as IStompSocket,
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      splitLargeFrames: true,
      maxWebSocketChunkSize: 1024,
      debug: () => undefined,
    });
    client.onConnect = () => connected.resolve();
    onCleanup(() => client.deactivate({ force: true }));
    client.activate();
    await withTimeout(connected.promise, 3_000, 'splitLargeFrames client CONNECTED');
    const body = 'ü'.repeat(10_000); // 20 KB of UTF-8, 10 000 JS chars: split mid-character too
    client.publish({ destination: '/topic/large', body });
    expect((await inbox.next()).body).toBe(body);
  });

  it('a WebSocket message above maxPayload closes the connection; the server goes on', async () => {
    const small = await startServer({ limits: { maxFrameSize: 1024 } });
    const raw = await RawClient.open(small, 'ws');
    const connected = await raw.connect();
    const codes: number[] = [];
    raw.ws!.on('close', (code) => codes.push(code));
    raw.write(buildFrame('SEND', { destination: '/topic/huge' }, 'h'.repeat(8 * 1024)));
    await raw.waitClosed();
    // ws refuses the message itself (1009 "message too big"): no STOMP ERROR can follow a close frame.
    expect(codes).toEqual([1009]);
    // The session ended on a limit, as over TCP: session-closed must say so (observability).
    const reason = await small.sessionClosed(connected.headers.session!);
    expect(reason?.code).toBe('STOMP_FRAME_TOO_LARGE');
    const other = await connectClient(small, 'ws');
    await other.sync();
  });
});
