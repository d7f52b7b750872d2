// The environment a step gets: never ours, always an explicit list. A fixed base (PATH, HOME, LANG,
// TERM) plus the caller's variables, minus any whose name looks like it holds a secret.

/** Name fragments (case-insensitive) that mark a variable as secret. */
export const secretNameParts: readonly string[] = [
  'KEY',
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'CREDENTIAL',
];

export const sandboxPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The base every step starts from; HOME is the step's private /tmp, so dotfiles vanish with it. */
export const baseSandboxEnv: Readonly<Record<string, string>> = {
  PATH: sandboxPath,
  HOME: '/tmp',
  TMPDIR: '/tmp',
  LANG: 'C.UTF-8',
  TERM: 'dumb',
};

export function looksSecret(name: string): boolean {
  const upper = name.toUpperCase();
  return secretNameParts.some((part) => upper.includes(part));
}

const validName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Drops variables whose names look secret (unless listed in `allow`, by exact name), whose names are
 * not plain identifiers, or whose values are undefined or contain NUL.
 */
export function scrubEnv(
  env: Readonly<Record<string, string | undefined>>,
  allow: readonly string[] = [],
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.includes('\0') || !validName.test(name)) continue;
    if (looksSecret(name) && !allow.includes(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/** The full environment for a step: the base, then the caller's scrubbed variables on top. */
export function stepEnv(
  env: Readonly<Record<string, string>> = {},
  allow: readonly string[] = [],
): Record<string, string> {
  return { ...baseSandboxEnv, ...scrubEnv(env, allow) };
}
