// The claude-code runtime: Claude Code (`claude -p`, stream-json both ways) governed by hooks that
// forward each tool call to the session's gateway, inside the sandbox behind the session's egress
// gate (its network, its model key, its hooks); without a working sandbox it does not start unless
// the policy says `sandbox: none`.
// `gt hook` uses the hook client; nothing else here is meant for use outside the runtime.
export { ClaudeCodeRuntime } from './runtime.js';
export type { ClaudeSessionOptions } from './session.js';
export { toolRequestOf } from './tool-map.js';
export { parseStreamLine } from './stream-lines.js';
export { StreamTranslator } from './stream-events.js';
