// User destinations over the relay, and two app instances relaying to one broker: a message for
// a user sent by either instance reaches that user's sessions on both, once, and nobody else.
import type { StompServerInit } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { describeWithBroker, EXTERNAL_BROKERS, probeAll, registryShows, startRelayServer, unique } from '../support/brokers.js';
import { connectClient, type TestClient } from '../support/stomp-client.js';
import type { TestServer } from '../support/test-server.js';
import { delay } from '../support/wait.js';

useCleanup();

const reachable = await probeAll();

/** The principal is the CONNECT `login` header (the relay replaces it by clientLogin towards the broker). */
const byLogin: StompServerInit = {
  authenticate: ({ headers }) => (headers.login ? { name: headers.login } : undefined),
};

function login(ts: TestServer, name: string, transport: 'ws' | 'tcp'): Promise<TestClient> {
  return connectClient(ts, transport, { connectHeaders: { login: name, passcode: 'ignored' } });
}

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`user destinations over the relay to ${broker.name}`, () => {
    // Each test its own broadcast topic: test files run in parallel against the same broker.
    let topic: string;
    const instance = (): Promise<TestServer> => startRelayServer(broker, { userDestinationBroadcast: topic }, byLogin);
    beforeEach(() => {
      topic = `/topic/${unique('user-broadcast.')}`;
    });

    it('sendToUser reaches both sessions of a user, shown as /user/queue/x; another user gets nothing', async () => {
      const ts = await instance();
      const alice = unique('alice-');
      const [a1, a2, bob] = await Promise.all([login(ts, alice, 'ws'), login(ts, alice, 'tcp'), login(ts, unique('bob-'), 'ws')]);
      const inboxes = await Promise.all([a1, a2, bob].map((c) => c.subscribe('/user/queue/x')));
      ts.server.sendToUser(alice, '/queue/x', 'for alice', { 'content-type': 'text/plain' });
      for (const inbox of inboxes.slice(0, 2)) {
        const m = await inbox.next(5_000);
        expect(m.body).toBe('for alice');
        expect(m.headers.destination).toBe('/user/queue/x');
      }
      await bob.sync();
      expect(inboxes[2]!.bodies).toEqual([]);
    });

    it('a client SEND to /user/{name}/queue/x reaches that user', async () => {
      const ts = await instance();
      const alice = unique('alice-');
      const a = await login(ts, alice, 'ws');
      const bob = await login(ts, unique('bob-'), 'tcp');
      const inbox = await a.subscribe('/user/queue/whispers');
      await bob.publish(`/user/${alice}/queue/whispers`, 'psst');
      const m = await inbox.next(5_000);
      expect(m.body).toBe('psst');
      expect(m.headers.destination).toBe('/user/queue/whispers');
    });

    it('two instances on one broker: a message for alice sent by either reaches her sessions on both, once each', async () => {
      const [one, two] = await Promise.all([instance(), instance()]);
      const alice = unique('alice-');
      const onOne = await login(one, alice, 'ws');
      const onTwo = await login(two, alice, 'tcp');
      const bob = await login(two, unique('bob-'), 'ws');
      const [i1, i2, ib] = await Promise.all([onOne, onTwo, bob].map((c) => c.subscribe('/user/queue/updates')));

      one.server.sendToUser(alice, '/queue/updates', 'from one');
      expect((await i1.next(5_000)).body).toBe('from one');
      expect((await i2.next(5_000)).body).toBe('from one');

      two.server.publish(`/user/${alice}/queue/updates`, 'from two');
      expect((await i1.next(5_000)).body).toBe('from two');
      expect((await i2.next(5_000)).body).toBe('from two');

      // A client of instance two whispering to alice reaches her on instance one as well.
      await bob.publish(`/user/${alice}/queue/updates`, 'from bob');
      expect((await i1.next(5_000)).body).toBe('from bob');
      expect((await i2.next(5_000)).body).toBe('from bob');

      await Promise.all([onOne.sync(), onTwo.sync(), bob.sync()]);
      // Round trip through the broadcast topic once more, so a duplicate would have arrived by now.
      one.server.sendToUser(alice, '/queue/updates', 'last');
      await i1.next(5_000);
      await i2.next(5_000);
      expect(i1.bodies).toEqual(['from one', 'from two', 'from bob', 'last']);
      expect(i2.bodies).toEqual(['from one', 'from two', 'from bob', 'last']);
      expect(ib.bodies).toEqual([]);
    });

    it("two instances share their user registries (Spring's userRegistryBroadcast); a silent instance's users expire", async () => {
      const registryTopic = `/topic/${unique('registry.')}`;
      const relay = { userDestinationBroadcast: topic, userRegistryBroadcast: registryTopic, registryExpirationPeriod: 600 };
      const [one, two] = await Promise.all([startRelayServer(broker, relay, byLogin), startRelayServer(broker, relay, byLogin)]);
      const alice = unique('alice-');
      const c = await login(one, alice, 'ws');
      await c.subscribe('/user/queue/news');
      // Snapshots go out every 300 ms: wait for one of instance one's that lists alice.
      await registryShows(two.server, alice, true);
      const seen = two.server.multiServerUserRegistry.getUser(alice)!;
      expect([...seen.sessions.keys()]).toEqual([c.connectedFrame.headers.session]);
      expect([...[...seen.sessions.values()][0]!.subscriptions.values()].map((s) => s.destination)).toEqual(['/user/queue/news']);
      expect(two.server.userRegistry.getUser(alice)).toBeUndefined(); // the local registry stays local
      await one.close(); // no more snapshots from one: after the expiration period alice is gone from two's view
      await delay(700);
      expect(two.server.multiServerUserRegistry.getUser(alice)).toBeUndefined();
    });

    it('a user coming or going is shared at once, not at the next periodic snapshot (10 s by default)', async () => {
      const registryTopic = `/topic/${unique('registry.')}`;
      const relay = { userDestinationBroadcast: topic, userRegistryBroadcast: registryTopic };
      const [one, two] = await Promise.all([startRelayServer(broker, relay, byLogin), startRelayServer(broker, relay, byLogin)]);
      // 3 s: well under the 10 s between periodic snapshots.
      const alice = unique('alice-');
      const joined = registryShows(two.server, alice, true, 3_000);
      const a1 = await login(one, alice, 'tcp');
      await joined;
      // Her second session changes no user: no snapshot for it. Closing both: she is gone, at once.
      const a2 = await login(one, alice, 'ws');
      const left = registryShows(two.server, alice, false, 3_000);
      await a1.disconnect();
      expect(two.server.multiServerUserRegistry.getUser(alice)).toBeDefined();
      await a2.disconnect();
      await left;
    });
  });
}
