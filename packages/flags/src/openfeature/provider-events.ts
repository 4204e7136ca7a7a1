import type { EventContext, EventHandler, Logger, ProviderEventEmitter } from '@openfeature/core';

/** The OpenFeature event the providers emit when their flags change (web and server SDKs spell it alike). */
export const CONFIGURATION_CHANGED = 'PROVIDER_CONFIGURATION_CHANGED';

/**
 * A provider's event emitter, without the SDK: the SDK subscribes through `addHandler`, and
 * bindings (React's `useFlag`, Angular, Vue) re-render on `PROVIDER_CONFIGURATION_CHANGED`.
 * Written here so the web provider needs no runtime import of `@openfeature/web-sdk`.
 */
export class ProviderEvents implements ProviderEventEmitter<never> {
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private logger: Logger | undefined;

  /** Calls every handler of `eventType` with `context`; a handler that throws is logged, not rethrown. */
  emit(eventType: string, context?: EventContext): void {
    for (const handler of [...(this.handlers.get(eventType) ?? [])]) {
      try {
        const pending = handler(context as never) as unknown;
        if (pending instanceof Promise) pending.catch((error: unknown) => this.logger?.error(error));
      } catch (error) {
        this.logger?.error(error);
      }
    }
  }

  addHandler(eventType: string, handler: EventHandler): void {
    let set = this.handlers.get(eventType);
    if (set === undefined) this.handlers.set(eventType, (set = new Set()));
    set.add(handler);
  }

  removeHandler(eventType: string, handler: EventHandler): void {
    this.handlers.get(eventType)?.delete(handler);
  }

  removeAllHandlers(eventType?: string): void {
    if (eventType === undefined) this.handlers.clear();
    else this.handlers.delete(eventType);
  }

  getHandlers(eventType: string): EventHandler[] {
    return [...(this.handlers.get(eventType) ?? [])];
  }

  setLogger(logger: Logger): this {
    this.logger = logger;
    return this;
  }
}
