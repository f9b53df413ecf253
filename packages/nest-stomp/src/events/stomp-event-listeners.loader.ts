import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { StompError, StompHeaders, StompServer, StompServerEvents, StompSession } from '@nest-stomp/core';
import { STOMP_EVENT_LISTENER_METADATA, STOMP_SERVER } from '../stomp.constants.js';
import {
  SessionConnectEvent,
  SessionConnectedEvent,
  SessionDisconnectEvent,
  SessionSubscribeEvent,
  SessionUnsubscribeEvent,
  type StompEventName,
  type StompSessionEvent,
} from './stomp-session-events.js';

type Listener = (event: StompSessionEvent) => unknown;
interface BoundListener {
  name: string;
  call: Listener;
}

/**
 * Wires `@OnStompEvent` methods to the core server's events (the loader of @nestjs/event-emitter,
 * for STOMP): found with DiscoveryService + MetadataScanner in onModuleInit, so listeners are in
 * place before StompServerHost opens the endpoints; removed at shutdown. One core listener per
 * event that has any: it builds the event object once and hands it to each method.
 */
@Injectable()
export class StompEventListenersLoader implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('StompModule');
  private readonly wired: Array<() => void> = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(STOMP_SERVER) private readonly server: StompServer,
  ) {}

  onModuleInit(): void {
    const listeners = new Map<StompEventName, BoundListener[]>();
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null || seen.has(instance)) continue;
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown> | null;
      if (prototype === null) continue;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = prototype[methodName];
        if (typeof method !== 'function') continue;
        const events = Reflect.getMetadata(STOMP_EVENT_LISTENER_METADATA, method) as StompEventName[] | undefined;
        if (!events) continue;
        const name = `${instance.constructor.name}.${methodName}`;
        if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
          // Events belong to no request: there is no instance to call.
          throw new Error(`${name}: @OnStompEvent listeners must live in singleton-scoped classes`);
        }
        const call = (method as Listener).bind(instance);
        for (const event of new Set(events)) {
          let list = listeners.get(event);
          if (!list) listeners.set(event, (list = []));
          list.push({ name, call });
        }
      }
    }
    for (const [event, list] of listeners) this.wire(event, list);
  }

  onApplicationShutdown(): void {
    for (const unwire of this.wired.splice(0)) unwire();
  }

  private wire(event: StompEventName, listeners: BoundListener[]): void {
    const dispatch = (created: StompSessionEvent): void => {
      for (const listener of listeners) this.run(listener, event, created);
    };
    switch (event) {
      case 'session-connect':
        return this.on('session-connect', (session: StompSession, headers: StompHeaders) =>
          dispatch(new SessionConnectEvent(session, headers)),
        );
      case 'session-connected':
        return this.on('session-connected', (session: StompSession) => dispatch(new SessionConnectedEvent(session)));
      case 'session-subscribe':
        return this.on('session-subscribe', (session, subscription) =>
          dispatch(new SessionSubscribeEvent(session, subscription.id, subscription.destination, subscription.headers)),
        );
      case 'session-unsubscribe':
        return this.on('session-unsubscribe', (session, subscription) =>
          dispatch(new SessionUnsubscribeEvent(session, subscription.id, subscription.destination)),
        );
      case 'session-disconnect':
        // The core's session-closed: exactly once per session, whatever ended it.
        return this.on('session-closed', (session: StompSession, error: StompError | undefined) =>
          dispatch(new SessionDisconnectEvent(session, error)),
        );
    }
  }

  private on<K extends keyof StompServerEvents>(event: K, listener: (...args: StompServerEvents[K]) => void): void {
    const bound = listener as (...args: unknown[]) => void;
    (this.server as unknown as NodeJS.EventEmitter).on(event, bound);
    this.wired.push(() => (this.server as unknown as NodeJS.EventEmitter).off(event, bound));
  }

  /** A listener's failure is the application's: logged, never thrown into the session that emitted. */
  private run(listener: BoundListener, event: StompEventName, created: StompSessionEvent): void {
    try {
      const result = listener.call(created);
      if (result instanceof Promise) result.catch((error: unknown) => this.failed(listener, event, error));
    } catch (error) {
      this.failed(listener, event, error);
    }
  }

  private failed(listener: BoundListener, event: StompEventName, error: unknown): void {
    this.logger.error(
      `@OnStompEvent('${event}') ${listener.name} failed for a session event`,
      error instanceof Error ? error.stack : String(error),
    );
  }
}
