// The sessions this process is running, so a graceful shutdown (`gt down`) can stop them all: each
// ends as a failure whose work so far is committed on its branch and whose bead goes back to the
// queue, instead of being cut off mid-step.
const active = new Map<string, (reason: string) => void>();

export function registerSession(sessionId: string, stop: (reason: string) => void): () => void {
  active.set(sessionId, stop);
  return () => active.delete(sessionId);
}

/** Asks every running session of this process to stop; returns how many were asked. */
export function stopAllSessions(reason: string): number {
  for (const stop of active.values()) stop(reason);
  return active.size;
}
