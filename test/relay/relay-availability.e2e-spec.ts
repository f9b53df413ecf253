// Broker outages through a TCP proxy in front of the real broker (cut = every connection dropped
// and new ones refused, restore = listening again): events, ERRORs to clients, the template
// failing clearly, the system session coming back, new clients working; failover to a second host.
import { createServer, type AddressInfo } from 'node:net';
import { StompError, StompErrorCode } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { describeWithBroker, EXTERNAL_BROKERS, probeAll, startRelayServer, unique } from '../support/brokers.js';
import { RawClient } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { once } from '../support/wait.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

const reachable = await probeAll();

function brokerEvent(ts: TestServer, event: 'broker-available' | 'broker-unavailable', timeout = 8_000): Promise<unknown[]> {
  return once<unknown[]>(
    (listener) => {
      ts.server.on(event, listener as never);
      return () => ts.server.off(event, listener as never);
    },
    () => true,
    timeout,
    event,
  );
}

/** A port where nothing listens (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`relay availability with ${broker.name}`, () => {
    it('broker lost: clients get ERROR "Broker not available", publish throws, new CONNECTs are refused; back: new clients work', async () => {
      const proxy = await TcpProxy.start(broker.host, broker.port);
      const ts = await startRelayServer(broker, { host: '127.0.0.1', port: proxy.port });
      expect(ts.server.brokerAvailable).toBe(true);
      const topic = `/topic/${unique('avail.')}`;
      const before = await connectClient(ts, 'ws');
      await before.subscribe(topic);

      const down = brokerEvent(ts, 'broker-unavailable');
      await proxy.cut();
      await down;
      expect(ts.server.brokerAvailable).toBe(false);
      const error = await before.nextError(5_000);
      expect(error.headers.message).toBe('Broker not available');
      await before.waitClosed();
      // The application's sends fail with a stable code instead of vanishing.
      let thrown: unknown;
      try {
        ts.server.publish(topic, 'while down');
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(StompError);
      expect((thrown as StompError).code).toBe(StompErrorCode.BROKER_UNAVAILABLE);
      // A client connecting now is refused at CONNECT.
      const refused = await RawClient.open(ts, 'tcp');
      refused.send('CONNECT', { 'accept-version': '1.2' });
      const refusal = await refused.expectErrorThenClose(5_000);
      expect(refusal.headers.message).toBe('Broker not available');

      const up = brokerEvent(ts, 'broker-available');
      await proxy.restore();
      await up; // reconnectDelay is 200 ms in these tests
      const after = await connectClient(ts, 'tcp');
      const inbox = await after.subscribe(topic);
      ts.server.publish(topic, 'back again');
      expect((await inbox.next(5_000)).body).toBe('back again');
    });

    it('broker lost during traffic: the app keeps publishing (failing clearly while down), and its traffic flows again once the broker is back', async () => {
      const proxy = await TcpProxy.start(broker.host, broker.port);
      const ts = await startRelayServer(broker, { host: '127.0.0.1', port: proxy.port });
      const topic = `/topic/${unique('traffic.')}`;
      const subscriber = await connectClient(ts, 'ws');
      const producer = await connectClient(ts, 'tcp');
      const inbox = await subscriber.subscribe(topic);
      const failures: string[] = [];
      let sent = 0;
      // The application publishes every 5 ms and a client SENDs every 5 ms, before, during and after the outage.
      const traffic = setInterval(() => {
        try {
          ts.server.publish(topic, `app-${sent++}`);
        } catch (error) {
          failures.push((error as StompError).code);
        }
        if (!producer.isClosed) producer.publishNow(topic, 'client');
      }, 5);
      try {
        await inbox.take(10, 5_000); // traffic flows
        const down = brokerEvent(ts, 'broker-unavailable');
        await proxy.cut();
        await down;
        expect((await subscriber.nextError(5_000)).headers.message).toBe('Broker not available');
        expect((await producer.nextError(5_000)).headers.message).toBe('Broker not available');
        const up = brokerEvent(ts, 'broker-available');
        await proxy.restore();
        await up;
        expect(failures.length).toBeGreaterThan(0);
        expect(new Set(failures)).toEqual(new Set([StompErrorCode.BROKER_UNAVAILABLE]));
        const after = await connectClient(ts, 'ws');
        const again = await after.subscribe(topic);
        // The same publishing loop reaches the broker again without any restart.
        expect((await again.next(5_000)).body).toMatch(/^app-\d+$/);
      } finally {
        clearInterval(traffic);
      }
    });

    it('failover: the first host is dead, the relay uses the second', async () => {
      const ts = await startRelayServer(broker, { host: '127.0.0.1', port: await deadPort(), hosts: [{ host: broker.host, port: broker.port }] });
      const c = await connectClient(ts, 'ws');
      const topic = `/topic/${unique('fo.')}`;
      const inbox = await c.subscribe(topic);
      await c.publish(topic, 'via the second host');
      expect((await inbox.next(5_000)).body).toBe('via the second host');
    });

    it('failover: when the first host goes away, the system session moves to the next one and new clients follow', async () => {
      const first = await TcpProxy.start(broker.host, broker.port);
      const second = await TcpProxy.start(broker.host, broker.port);
      const ts = await startRelayServer(broker, { host: '127.0.0.1', port: first.port, hosts: [{ host: '127.0.0.1', port: second.port }] });
      const moved = brokerEvent(ts, 'broker-available');
      await first.cut();
      const [address] = (await moved) as [{ port: number }];
      expect(address.port).toBe(second.port);
      const acceptedBefore = second.accepted;
      const c = await connectClient(ts, 'tcp');
      expect(second.accepted).toBe(acceptedBefore + 1); // the client's own broker connection
      const queue = `/queue/${unique('fo.')}`;
      const inbox = await c.subscribe(queue);
      ts.server.publish(queue, 'moved');
      expect((await inbox.next(5_000)).body).toBe('moved');
    });
  });
}

describe('relay without a broker', () => {
  it('refuses clients with "Broker not available" once its first attempt failed (no hang)', async () => {
    const ts = await startServer({ relay: { host: '127.0.0.1', port: await deadPort(), reconnectDelay: 60_000, connectTimeout: 2_000 } });
    const raw = await RawClient.open(ts, 'tcp');
    raw.send('CONNECT', { 'accept-version': '1.2' });
    const refusal = await raw.expectErrorThenClose(5_000);
    expect(refusal.headers.message).toBe('Broker not available');
    expect(ts.server.brokerAvailable).toBe(false);
  });
});
