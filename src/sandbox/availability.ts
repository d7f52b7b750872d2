// Can this machine sandbox steps? Looks for bubblewrap (and setpriv, when we are root) and runs one
// tiny sandbox to prove namespaces work here. Answers once per process; the caller refuses to run
// steps on `available: false` unless the policy explicitly says `sandbox: none`.
import { execaSync } from 'execa';
import { bwrapFile, setprivFile } from './argv.js';
import { defaultSandboxIds } from './spec.js';

export interface SandboxAvailability {
  available: boolean;
  reason?: string;
  /** How to fix it, for the message shown to the Overseer. */
  install?: string;
}

export const installBubblewrap = 'apt-get install bubblewrap';

let cached: SandboxAvailability | undefined;

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? 'no message';
}

/** Probes a given bwrap binary, uncached (tests point it at a missing one). */
export function probeSandbox(bwrap: string = bwrapFile): SandboxAvailability {
  const version = execaSync(bwrap, ['--version'], { reject: false, stdin: 'ignore' });
  if (version.exitCode !== 0) {
    return {
      available: false,
      reason: 'bubblewrap (bwrap) is not installed or not on PATH',
      install: installBubblewrap,
    };
  }
  const root = process.getuid?.() === 0;
  const { uid, gid } = defaultSandboxIds;
  const inner = root
    ? [setprivFile, `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', '/bin/true']
    : ['/bin/true'];
  const smoke = execaSync(
    bwrap,
    [
      ...(root ? [] : ['--unshare-user']),
      ...['--die-with-parent', '--unshare-pid', '--unshare-ipc', '--unshare-net'],
      ...['--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--', ...inner],
    ],
    { reject: false, stdin: 'ignore' },
  );
  if (smoke.exitCode === 0) return { available: true };
  const stderr = String(smoke.stderr);
  if (root && /setpriv/.test(stderr)) {
    return {
      available: false,
      reason: `setpriv failed: ${firstLine(stderr)}`,
      install: 'apt-get install util-linux',
    };
  }
  return {
    available: false,
    reason: `bwrap cannot create namespaces here: ${firstLine(stderr)}`,
    install: root
      ? 'run on a host or container that allows mount and pid namespaces (e.g. docker --privileged)'
      : 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu ' +
        'kernel.apparmor_restrict_unprivileged_userns=0), or install bwrap setuid',
  };
}

/** Whether steps can run sandboxed here, and if not, why and how to fix it. Cached after the first call. */
export function sandboxAvailability(): SandboxAvailability {
  cached ??= probeSandbox();
  return cached;
}
