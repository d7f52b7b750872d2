// Can this machine sandbox steps? Looks for bubblewrap (and setpriv, when we are root) and runs one
// tiny sandbox to prove namespaces work here. A yes is kept for the process; a no is probed again a
// few seconds later, so a daemon notices when the Overseer installs bubblewrap. The caller refuses
// to run steps on `available: false` unless the policy explicitly says `sandbox: none`.
import { readFileSync } from 'node:fs';
import { execaSync } from 'execa';
import { bwrapFile, setprivFile } from './argv.js';
import { defaultSandboxIds } from './spec.js';

export interface SandboxAvailability {
  available: boolean;
  reason?: string;
  /** How to fix it, for the message shown to the Overseer. */
  install?: string;
}

export const installBubblewrap =
  'run `apt-get install -y bubblewrap` (Debian/Ubuntu), `dnf install -y bubblewrap` (Fedora) or `apk add bubblewrap` (Alpine)';

/** How long a "no" is believed before bubblewrap is probed again. */
const recheckMs = 5_000;
let cached: { at: number; answer: SandboxAvailability } | undefined;

function sysctl(name: string): string | undefined {
  try {
    return readFileSync(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The exact knob that keeps unprivileged user namespaces off on this kernel, when we can tell. */
export function userNamespaceFix(read: (name: string) => string | undefined = sysctl): string {
  if (read('kernel.unprivileged_userns_clone') === '0')
    return 'user namespaces are disabled: run `sysctl -w kernel.unprivileged_userns_clone=1` (as root; add it to /etc/sysctl.d/ to keep it)';
  if (read('kernel.apparmor_restrict_unprivileged_userns') === '1')
    return 'AppArmor restricts user namespaces: run `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (as root), or install bwrap setuid';
  if (read('user.max_user_namespaces') === '0')
    return 'user namespaces are disabled: run `sysctl -w user.max_user_namespaces=15000` (as root)';
  return 'allow unprivileged user namespaces (`sysctl -w kernel.unprivileged_userns_clone=1`, or on Ubuntu `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`), or install bwrap setuid';
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? 'no message';
}

/** Probes a given bwrap binary, uncached (tests point it at a missing one). */
export function probeSandbox(bwrap: string = bwrapFile): SandboxAvailability {
  const version = execaSync(bwrap, ['--version'], { reject: false, stdin: 'ignore' });
  if (version.exitCode !== 0) {
    return {
      available: false,
      reason: 'bubblewrap is not installed (no `bwrap` on PATH)',
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
      ? 'run on a host or in a container that allows mount and pid namespaces (e.g. `docker run --privileged`, or `--security-opt seccomp=unconfined --cap-add SYS_ADMIN`)'
      : userNamespaceFix(),
  };
}

/** Whether steps can run sandboxed here, and if not, why and how to fix it (a yes is cached). */
export function sandboxAvailability(now: number = Date.now()): SandboxAvailability {
  if (cached === undefined || (!cached.answer.available && now - cached.at >= recheckMs))
    cached = { at: now, answer: probeSandbox() };
  return cached.answer;
}
