// TLS to the broker: the relay's `tls` options reach node:tls (here: a TLS-terminating proxy in
// front of the real broker, with a self-signed certificate the relay is told to trust).
import { readFileSync } from 'node:fs';
import { StompErrorCode, type StompError } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { describeWithBroker, probeBroker, RABBITMQ, startRelayServer, unique } from '../support/brokers.js';
import { RawClient } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startServer } from '../support/test-server.js';

useCleanup();

const available = await probeBroker(RABBITMQ);
const cert = readFileSync(new URL('../support/tls/localhost.crt', import.meta.url));
const key = readFileSync(new URL('../support/tls/localhost.key', import.meta.url));

describeWithBroker(RABBITMQ, available)('relay over TLS', () => {
  it('system and client connections speak TLS when `tls` trusts the broker certificate', async () => {
    const proxy = await TcpProxy.start(RABBITMQ.host, RABBITMQ.port, { key, cert });
    const ts = await startRelayServer(RABBITMQ, { host: 'localhost', port: proxy.port, tls: { ca: cert } });
    const c = await connectClient(ts, 'tcp');
    const topic = `/topic/${unique('tls.')}`;
    const inbox = await c.subscribe(topic);
    ts.server.publish(topic, 'encrypted hop');
    expect((await inbox.next(5_000)).body).toBe('encrypted hop');
    expect(proxy.accepted).toBe(2); // the system session and the client's own connection
  });

  it('an untrusted certificate keeps the broker unavailable (no plain-text fallback)', async () => {
    const proxy = await TcpProxy.start(RABBITMQ.host, RABBITMQ.port, { key, cert });
    const ts = await startServer({ relay: { host: 'localhost', port: proxy.port, tls: true, reconnectDelay: 60_000, connectTimeout: 3_000 } });
    const closed = new Promise<StompError | undefined>((resolve) => ts.server.once('session-closed', (_session, error) => resolve(error)));
    const raw = await RawClient.open(ts, 'tcp');
    raw.send('CONNECT', { 'accept-version': '1.2' });
    const refusal = await raw.expectErrorThenClose(5_000);
    expect(refusal.headers.message).toBe('Broker not available');
    expect(ts.server.brokerAvailable).toBe(false);
    expect((await closed)?.code).toBe(StompErrorCode.BROKER_UNAVAILABLE);
  });
});
