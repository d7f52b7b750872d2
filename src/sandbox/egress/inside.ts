// Where the gate appears inside a sandbox, and what the sandbox's environment says about it. The
// paths are fixed so nothing inside depends on where the town or our install lives on the host.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GasTownError, ErrorCode } from '../../errors.js';

export const egressInside = {
  dir: '/run/gastown',
  /** The session's gate socket, bound from the host. */
  socket: '/run/gastown/egress.sock',
  /** The bridge script (bridge.ts, built; `.mjs` since no package.json says ESM there) and its node. */
  bridge: '/run/gastown/bridge.mjs',
  node: '/run/gastown/node',
  /** The bridge's port on the sandbox's private 127.0.0.1. */
  port: 8377,
} as const;

/** `http://127.0.0.1:<port>`: the model route; `/__gastown/…` below it are the session's routes. */
export const egressUrl = `http://127.0.0.1:${egressInside.port}`;

/**
 * The proxy variables every program inside gets (both spellings; tools read one or the other).
 * Loopback stays direct: it is the bridge itself.
 */
export function egressEnv(): Record<string, string> {
  const noProxy = '127.0.0.1,localhost';
  return {
    HTTP_PROXY: egressUrl,
    HTTPS_PROXY: egressUrl,
    http_proxy: egressUrl,
    https_proxy: egressUrl,
    ALL_PROXY: egressUrl,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
  };
}

/** Our package root, found upwards from this module (sources under a test runner, or dist). */
function packageRoot(from: string): string | undefined {
  for (let dir = dirname(from); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (json.name === 'gastown') return dir;
    } catch {
      // Not here; keep looking.
    }
  }
  return undefined;
}

/** The built bridge script (`dist/src/sandbox/egress/bridge.js`); a clear error when unbuilt. */
export function findBridgeScript(from: string = fileURLToPath(import.meta.url)): string {
  const root = packageRoot(from);
  const script = root === undefined ? undefined : join(root, 'dist', 'src', 'sandbox', 'egress', 'bridge.js');
  if (script !== undefined && existsSync(script)) return script;
  throw new GasTownError(
    ErrorCode.internal,
    `egress: cannot find the bridge script (dist/src/sandbox/egress/bridge.js) near ${from}; run \`npm run build\``,
  );
}
