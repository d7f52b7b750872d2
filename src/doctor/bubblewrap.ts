// Bubblewrap: present, and able to make the namespaces a sandboxed step needs here (probed by
// running a trivial `true` inside it). A town whose policy says `sandbox: none` only gets a warning.
import { join } from 'node:path';
import { loadPolicy } from '../policy/index.js';
import { probeSandbox } from '../sandbox/index.js';
import type { DoctorCheck } from './types.js';
import { fail, ok, warn } from './types.js';

export const bubblewrapCheck: DoctorCheck = {
  name: 'bubblewrap',
  town: false,
  run: (ctx) => {
    const probe = probeSandbox();
    if (probe.available) return [ok('bubblewrap', 'bwrap runs a sandboxed `true` here')];
    let needed = true;
    try {
      needed = ctx.root === undefined || loadPolicy(join(ctx.root, 'policy.yaml')).sandbox !== 'none';
    } catch {
      // a broken policy.yaml is the town-files check's finding; assume the sandbox is needed
    }
    const message = probe.reason ?? 'bubblewrap is unavailable';
    const fix = probe.install ?? 'install bubblewrap';
    return [
      needed
        ? fail('bubblewrap', message, fix)
        : warn('bubblewrap', `${message} (policy.yaml says sandbox: none: steps run unsandboxed)`, fix),
    ];
  },
};
