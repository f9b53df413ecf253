// forRootAsync: the authenticator and the rules' guards come from a factory; classes nobody
// registered are created in StompModule's scope, where the factory's imports are visible.
import 'reflect-metadata';
import { Injectable, Module, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { onCleanup, useCleanup } from '../../../../test/support/cleanup.js';
import { RawClient } from '../../../../test/support/raw-client.js';
import type { TestServer } from '../../../../test/support/test-server.js';
import { StompModule, StompServerHost, type StompAuthenticationRequest, type StompAuthenticator, type StompMessage } from '../../src/index.js';
import { RecordingLogger } from '../routing/routing-test-app.js';

useCleanup();

@Injectable()
class SecurityConfig {
  readonly openTopic = '/topic/open.{name}';
  readonly users = new Set(['alice']);
}

@Module({ providers: [SecurityConfig], exports: [SecurityConfig] })
class SecurityConfigModule {}

@Injectable()
class ConfiguredAuthenticator implements StompAuthenticator {
  constructor(private readonly config: SecurityConfig) {}
  authenticate({ headers }: StompAuthenticationRequest) {
    return headers.login !== undefined && this.config.users.has(headers.login) ? { name: headers.login } : undefined;
  }
}

@Injectable()
class NameMatchesGuard implements CanActivate {
  constructor(private readonly config: SecurityConfig) {}
  canActivate(context: ExecutionContext): boolean {
    const message = context.switchToWs().getData<StompMessage>();
    return this.config.users.has(message.variables.name!);
  }
}

it('forRootAsync with imports: authenticator and guard classes resolved with the imported provider', async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      StompModule.forRootAsync({
        imports: [SecurityConfigModule],
        inject: [SecurityConfig],
        useFactory: (config: SecurityConfig) => ({
          tcp: { port: 0 },
          broker: { type: 'simple', heartbeat: [0, 0] },
          authenticator: ConfiguredAuthenticator,
          rules: [
            { frames: ['CONNECT'], access: 'authenticated' },
            { frames: ['SEND'], destinations: [config.openTopic], access: [NameMatchesGuard] },
          ],
        }),
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: new RecordingLogger() });
  await app.listen(0, '127.0.0.1');
  onCleanup(() => app.close(), 'server');
  const target = { tcpPort: app.get(StompServerHost).tcpEndpoint!.port } as TestServer;

  const alice = await RawClient.open(target, 'tcp');
  expect((await alice.connect({ 'accept-version': '1.2', login: 'alice' })).headers['user-name']).toBe('alice');
  alice.send('SEND', { destination: '/topic/open.alice', receipt: 'ok' }, 'x');
  await alice.receipt('ok');
  alice.send('SEND', { destination: '/topic/open.mallory', receipt: 'no' }, 'x');
  expect((await alice.expectErrorThenClose()).headers.message).toBe('Access denied');

  const stranger = await RawClient.open(target, 'tcp');
  stranger.send('CONNECT', { 'accept-version': '1.2', login: 'mallory' });
  expect((await stranger.expectErrorThenClose()).headers.message).toBe('Access denied');
});
