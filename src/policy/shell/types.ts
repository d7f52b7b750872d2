// What a shell command is split into. A word keeps how it was written (`raw`) and what it is made
// of (`segments`), so a path can be resolved exactly: `'$HOME'` is literal text, `$HOME` is not.

/**
 * - `lit`: literal text (quoted, escaped or plain)
 * - `glob`: an unquoted `*`, `?`, `[` or brace expansion
 * - `tilde`: a leading unquoted `~` (or `~user`)
 * - `var`: `$NAME` / `${NAME}` (text is the name)
 * - `sub`: anything only known when it runs: `$(…)`, backticks, `<(…)`, `$((…))`, `${X:-…}`
 */
export type SegmentKind = 'lit' | 'glob' | 'tilde' | 'var' | 'sub';

export interface Segment {
  kind: SegmentKind;
  text: string;
}

export interface ShellWord {
  raw: string;
  segments: Segment[];
}

export interface Redirect {
  /** `>`, `>>`, `<`, `&>`, `2>&1`'s `>&`, `<<` … */
  op: string;
  fd?: number;
  target: ShellWord;
  /** A here-document's text (`<<EOF`), so commands reading a visible script from stdin can be judged. */
  body?: string;
}

/** How a part was reached: directly, inside `$(…)`, by peeling a wrapper, from a `sh -c` script… */
export type PartVia = 'command' | 'substitution' | 'wrapper' | 'shell' | 'eval' | 'find-exec' | 'unparsed';

/** Where an interpreter takes its program from. */
export type CodeSource = 'inline' | 'dynamic' | 'stdin' | 'file' | 'module';

/** One simple command the policy judges on its own. */
export interface CommandPart {
  /** The command words as written, joined by single spaces (what `match.command` is tested against). */
  text: string;
  argv: string[];
  words: ShellWord[];
  /** `NAME=value` prefixes (and those `env` sets). */
  assignments: ShellWord[];
  redirects: Redirect[];
  /** The directory a preceding `cd` moved to; absent = the call's cwd. */
  cwd?: ShellWord;
  /** Names of the commands whose output reaches this one (pipes, `$(…)`, `<(…)`). */
  feeds: string[];
  via: PartVia;
  /** For wrappers and interpreters: the index in `words` where the wrapped command or inline script starts. */
  inner?: number;
  code?: CodeSource;
  /** Trailing arguments come from stdin (`xargs`). */
  argsFromInput?: boolean;
  /** The shell function whose body holds this part. */
  inFunction?: string;
  /** argv[0] names a function defined earlier in the same command (its body is judged as parts). */
  callsFunction?: boolean;
}
