// The scenarios of the issue, as data. Throughput scenarios are a set of destinations, each with
// its producers and consumers; `connections` is handled apart (lib/connections-run.mjs).
//
// aim: the target ratio ours/limit; `higher` metrics must reach it, `lower` ones stay under it.

export const SCENARIOS = {
  fanout: {
    title: '1 producer → /topic/bench.fan → 100 subscribers',
    metric: 'deliveries/s',
    better: 'higher',
    aim: 0.5,
    destinations: () => [{ name: '/topic/bench.fan', kind: 'topic', producers: 1, consumers: 100 }],
  },
  queue: {
    title: '1 producer → /queue/bench.q → 1 consumer (ack auto)',
    metric: 'msg/s',
    better: 'higher',
    aim: 0.35,
    destinations: () => [{ name: '/queue/bench.q', kind: 'queue', producers: 1, consumers: 1 }],
  },
  many: {
    title: '20 producers → 20 queues → 20 consumers',
    metric: 'msg/s',
    better: 'higher',
    aim: 0.35,
    destinations: () =>
      Array.from({ length: 20 }, (_, i) => ({ name: `/queue/bench.m.${i}`, kind: 'queue', producers: 1, consumers: 1 })),
  },
  'client-ack': {
    title: '1 producer → /queue/bench.ack → 1 consumer, ack client-individual, every message ACKed',
    metric: 'msg/s',
    better: 'higher',
    aim: 0.3,
    ack: 'client-individual',
    destinations: () => [{ name: '/queue/bench.ack', kind: 'queue', producers: 1, consumers: 1 }],
  },
  latency: {
    title: '2,000 msg/s fixed rate → /topic/bench.lat → 10 subscribers',
    metric: 'p99 ms',
    better: 'lower',
    aim: 1.5,
    rate: 2000,
    destinations: () => [{ name: '/topic/bench.lat', kind: 'topic', producers: 1, consumers: 10 }],
  },
  connections: {
    title: 'N idle connections, each CONNECT + SUBSCRIBE (receipt)',
    metric: 'conn/s',
    better: 'higher',
    aim: 0.5,
    // Second metric of the same run: server memory per idle connection.
    memory: { metric: 'KiB/conn', better: 'lower', aim: 2 },
  },
};

export const SCENARIO_NAMES = Object.keys(SCENARIOS);
