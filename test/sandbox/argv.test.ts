import { describe, expect, it } from 'vitest';
import { buildSandboxArgv, contextMountPath } from '../../src/sandbox/index.js';
import type { SandboxHost, SandboxSpec } from '../../src/sandbox/index.js';

const host: SandboxHost = {
  runningAsRoot: true,
  system: [
    { path: '/usr', kind: 'bind' },
    { path: '/bin', kind: 'symlink', target: 'usr/bin' },
    { path: '/etc', kind: 'bind' },
  ],
  masks: [
    { path: '/etc/shadow', kind: 'file' },
    { path: '/etc/sudoers.d', kind: 'dir' },
    { path: '/opt/secret', kind: 'file' },
  ],
};
const userHost: SandboxHost = { ...host, runningAsRoot: false };

const spec: SandboxSpec = {
  worktree: '/srv/town/app/polecats/ace',
  townRoot: '/srv/town',
  network: false,
  contextRigs: [{ name: 'lib', path: '/srv/town/lib/refinery' }],
};

function argv(overrides: Partial<SandboxSpec> = {}, command = 'make test', on = host): string[] {
  return buildSandboxArgv({ ...spec, ...overrides }, command, { host: on }).args;
}

/** The arguments that follow each occurrence of `flag`, `count` at a time. */
function after(args: string[], flag: string, count = 1): string[][] {
  return args.flatMap((arg, index) => (arg === flag ? [args.slice(index + 1, index + 1 + count)] : []));
}

describe('buildSandboxArgv', () => {
  it('runs bwrap with every namespace, and the command as one argument after setpriv when root', () => {
    const command = `echo "$HOME"; rm -rf / # ' "`;
    const { file, args } = buildSandboxArgv(spec, command, { host });
    expect(file).toBe('bwrap');
    for (const flag of ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try']) {
      expect(args).toContain(flag);
    }
    for (const flag of ['--unshare-net', '--die-with-parent', '--new-session', '--clearenv']) {
      expect(args).toContain(flag);
    }
    expect(args).not.toContain('--unshare-user');
    expect(args).not.toContain('--unshare-all');
    const tail = args.slice(args.indexOf('--'));
    expect(tail).toEqual([
      '--',
      '/usr/bin/setpriv',
      '--reuid=61000',
      '--regid=61000',
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--no-new-privs',
      '--',
      '/bin/sh',
      '-c',
      command,
    ]);
  });

  it('uses the configured ids', () => {
    const args = argv({ ids: { uid: 62001, gid: 62002 } });
    expect(args).toContain('--reuid=62001');
    expect(args).toContain('--regid=62002');
  });

  it('runs unprivileged without setpriv, forbidding nested user namespaces, when not root', () => {
    const args = argv({}, 'true', userHost);
    expect(args).not.toContain('/usr/bin/setpriv');
    expect(args).toContain('--unshare-user');
    expect(args).toContain('--disable-userns');
    expect(args.slice(args.indexOf('--'))).toEqual(['--', '/bin/sh', '-c', 'true']);
  });

  it('never shares the host network: a namespace of its own always, `network: true` refused', () => {
    expect(argv()).toContain('--unshare-net');
    expect(argv({ network: false })).toContain('--unshare-net');
    const open = { network: true } as unknown as Partial<SandboxSpec>;
    expect(() => argv(open)).toThrow(/host network is never shared/);
  });

  it('with an egress gate: its own network, the socket, bridge and node at fixed paths, the bridge first', () => {
    const egress = {
      socket: '/srv/town/.gt/sessions/s1/egress.sock',
      bridge: '/opt/gt/bridge.js',
      node: '/opt/node',
    };
    const args = argv({ egress });
    expect(args).toContain('--unshare-net');
    const binds = after(args, '--ro-bind', 2);
    expect(binds).toContainEqual([egress.socket, '/run/gastown/egress.sock']);
    expect(binds).toContainEqual([egress.bridge, '/run/gastown/bridge.mjs']);
    expect(binds).toContainEqual([egress.node, '/run/gastown/node']);
    expect(args.indexOf('/run/gastown/egress.sock')).toBeLessThan(args.lastIndexOf('--remount-ro'));
    const envs = after(args, '--setenv', 2);
    expect(envs).toContainEqual(['HTTPS_PROXY', 'http://127.0.0.1:8377']);
    expect(envs).toContainEqual(['no_proxy', '127.0.0.1,localhost']);
    const command = args.slice(args.indexOf('--no-new-privs') + 2);
    expect(command).toEqual([
      '/run/gastown/node',
      '/run/gastown/bridge.mjs',
      '8377',
      '/run/gastown/egress.sock',
      '/bin/sh',
      '-c',
      'make test',
    ]);
    expect(() => argv({ egress: { ...egress, socket: 'egress.sock' } })).toThrow(/absolute/);
  });

  it('shows the system read-only, masks secrets under it, and binds nothing else of the host', () => {
    const args = argv();
    const binds = after(args, '--ro-bind', 2);
    expect(binds).toContainEqual(['/usr', '/usr']);
    expect(binds).toContainEqual(['/etc', '/etc']);
    expect(binds).toContainEqual(['/dev/null', '/etc/shadow']);
    expect(binds).not.toContainEqual(['/dev/null', '/opt/secret']); // not under a bound path
    expect(after(args, '--symlink', 2)).toContainEqual(['usr/bin', '/bin']);
    expect(after(args, '--tmpfs')).toContainEqual(['/etc/sudoers.d']);
    expect(after(args, '--remount-ro')).toContainEqual(['/etc/sudoers.d']);
    const writable = after(args, '--bind', 2);
    expect(writable).toEqual([[spec.worktree, spec.worktree]]);
    expect(binds.map(([source]) => source)).not.toContain('/');
    expect(binds.map(([source]) => source)).not.toContain('/srv/town');
  });

  it('mounts a private /tmp before the worktree, so the worktree is not hidden under it', () => {
    const args = argv({ worktree: '/tmp/town/app/polecats/ace', townRoot: '/tmp/town', contextRigs: [] });
    const tmp = args.indexOf('/tmp', args.indexOf('--tmpfs'));
    expect(args.slice(tmp - 3, tmp + 1)).toEqual(['--perms', '01777', '--tmpfs', '/tmp']);
    expect(args.indexOf('--bind')).toBeGreaterThan(tmp);
    expect(after(args, '--chdir')).toEqual([['/tmp/town/app/polecats/ace']]);
  });

  it('makes the worktree reachable by its absolute path through traversable parents', () => {
    const args = argv();
    const dirs = after(args, '--dir').map(([dir]) => dir);
    expect(dirs).toEqual([
      '/srv',
      '/srv/town',
      '/srv/town/app',
      '/srv/town/app/polecats',
      '/srv/town/app/polecats/.context',
    ]);
    for (const dir of dirs) {
      const at = args.indexOf(dir!, args.indexOf('--dir'));
      expect(args.slice(at - 3, at)).toEqual(['--perms', '0755', '--dir']);
    }
    expect(args.indexOf('--dir')).toBeLessThan(args.indexOf('--bind'));
  });

  it('binds context rigs read-only next to the worktree', () => {
    const path = contextMountPath(spec.worktree, 'lib');
    expect(path).toBe('/srv/town/app/polecats/.context/lib');
    expect(after(argv(), '--ro-bind', 2)).toContainEqual(['/srv/town/lib/refinery', path]);
  });

  it('hides a town that lies under a bound system directory', () => {
    const args = argv({
      worktree: '/srv/wt/ace',
      townRoot: '/etc/town',
      contextRigs: [],
    });
    expect(after(args, '--tmpfs')).toContainEqual(['/etc/town']);
  });

  it('sets an explicit environment after clearing it, secrets left out', () => {
    const args = argv({ env: { STEP: '1', NPM_TOKEN: 'x', LANG: 'en_US.UTF-8' } });
    const clear = args.indexOf('--clearenv');
    const env: Record<string, string> = {};
    for (const [name, value] of after(args, '--setenv', 2)) env[name!] = value!;
    expect(args.indexOf('--setenv')).toBeGreaterThan(clear);
    expect(env).toEqual({
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: '/tmp',
      TMPDIR: '/tmp',
      LANG: 'en_US.UTF-8',
      TERM: 'dumb',
      STEP: '1',
    });
  });

  it('asks bwrap for its info descriptor only when told to', () => {
    expect(argv()).not.toContain('--info-fd');
    const { args } = buildSandboxArgv(spec, 'true', { host, infoFd: 3 });
    expect(after(args, '--info-fd')).toEqual([['3']]);
  });

  it.each([
    ['a relative worktree', { worktree: 'app/polecats/ace' }],
    ['the town as worktree', { worktree: '/srv/town' }],
    ['a worktree containing the town', { worktree: '/srv' }],
    ['the root as worktree', { worktree: '/' }],
    ['a worktree inside /usr', { worktree: '/usr/local/src/x', townRoot: '/srv/other' }],
    ['a context rig named with a slash', { contextRigs: [{ name: '../x', path: '/srv/x' }] }],
    [
      'two context rigs with one name',
      {
        contextRigs: [
          { name: 'lib', path: '/srv/a' },
          { name: 'lib', path: '/srv/b' },
        ],
      },
    ],
    ['a context rig that contains the town', { contextRigs: [{ name: 'all', path: '/srv' }] }],
    ['root as the sandbox uid', { ids: { uid: 0, gid: 0 } }],
  ])('refuses %s', (_label, overrides) => {
    expect(() => argv(overrides)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
