// The span a piece of work runs under, carried across awaits (AsyncLocalStorage, as OpenTelemetry
// propagates its context), so every event appended inside it — by the bead store, a convoy, mail —
// names that span as its parent without each module passing it along. The Mayor uses it to hang the
// beads it creates under its plan or tool call, and those under the Overseer's request.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

/** Runs `fn` (and whatever it awaits) with `spanId` as the parent of events that name none. */
export function withParentSpan<T>(spanId: string, fn: () => T): T {
  return scope.run(spanId, fn);
}

/** The parent span of the work running now, if it runs under one. */
export function currentParentSpan(): string | undefined {
  return scope.getStore();
}
