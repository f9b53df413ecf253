import { chatAddresses, createChatApp } from './chat-app.js';
import { chooseTcpPort } from './chat-tcp-port.js';

async function main(): Promise<void> {
  const tcpHost = process.env.STOMP_TCP_HOST ?? '127.0.0.1';
  const tcp = await chooseTcpPort(process.env.STOMP_TCP_PORT, tcpHost);
  if (tcp.note !== undefined) console.log(`Note: ${tcp.note}`);
  const app = await createChatApp({
    tcpPort: tcp.port,
    tcpHost,
    // BROKER=relay: rooms and private messages go through RabbitMQ/ActiveMQ (several instances share them).
    broker:
      process.env.BROKER === 'relay'
        ? { type: 'relay', host: process.env.RELAY_HOST ?? '127.0.0.1', port: Number(process.env.RELAY_PORT ?? 61613) }
        : { type: 'simple' },
  });
  // SIGTERM / SIGINT → Nest closes the app → STOMP clients get an ERROR frame, listeners stop.
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3000));
  const where = chatAddresses(app);
  console.log(`Chat on ${where.http}  STOMP ${where.ws}  STOMP ${where.tcp ?? '(no TCP)'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
