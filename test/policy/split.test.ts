// splitCommand: a small real tokenizer, not regexes over the whole string.
import { describe, expect, it } from 'vitest';
import type { CommandPart } from '../../src/policy/index.js';
import { ShellSyntaxError, splitCommand } from '../../src/policy/index.js';

const argvs = (command: string) => splitCommand(command).map((p) => p.argv);
const find = (command: string, name: string): CommandPart | undefined =>
  splitCommand(command).find((p) => p.argv[0] === name);

describe('splitCommand', () => {
  it('splits lists, pipes and newlines into parts', () => {
    expect(argvs('a | b && c || d; e\nf & g')).toEqual([['a'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g']]);
  });

  it('keeps operators inside quotes as text', () => {
    expect(argvs(`echo "a && b | c" 'd; e' f\\;g`)).toEqual([['echo', 'a && b | c', 'd; e', 'f;g']]);
  });

  it('follows escapes and quote concatenation', () => {
    expect(argvs(`echo 'it'\\''s' "a\\"b\\$c" $'x\\ty' r''m`)).toEqual([
      ['echo', "it's", 'a"b$c', 'x\ty', 'rm'],
    ]);
  });

  it('joins backslash-newline continuations', () => {
    expect(argvs('npm \\\n  test')).toEqual([['npm', 'test']]);
  });

  it('finds commands inside $(…), backticks and nested quotes, before the command that uses them', () => {
    expect(argvs('echo "x $(rm -rf "$D") y" `id -u`')).toEqual([
      ['rm', '-rf', '$D'],
      ['id', '-u'],
      ['echo', 'x $(rm -rf "$D") y', '`id -u`'],
    ]);
    expect(splitCommand('echo $(ls)')[0]?.via).toBe('substitution');
  });

  it('follows sh -c and bash -c scripts recursively', () => {
    const parts = splitCommand(`bash -lc "sh -c 'rm -rf ~; ls'"`);
    expect(parts.map((p) => [p.via, p.argv])).toEqual([
      ['command', ['bash', '-lc', "sh -c 'rm -rf ~; ls'"]],
      ['shell', ['sh', '-c', 'rm -rf ~; ls']],
      ['shell', ['rm', '-rf', '~']],
      ['shell', ['ls']],
    ]);
    expect(parts[0]?.code).toBe('inline');
  });

  it('peels env, sudo, nice, timeout and xargs, keeping the wrapper as its own part', () => {
    expect(argvs('env A=1 nice -n 5 timeout 10 sudo -u root id')).toEqual([
      ['env', 'A=1', 'nice', '-n', '5', 'timeout', '10', 'sudo', '-u', 'root', 'id'],
      ['nice', '-n', '5', 'timeout', '10', 'sudo', '-u', 'root', 'id'],
      ['timeout', '10', 'sudo', '-u', 'root', 'id'],
      ['sudo', '-u', 'root', 'id'],
      ['id'],
    ]);
    expect(find('ls | xargs -0 rm -f', 'rm')).toMatchObject({
      via: 'wrapper',
      argsFromInput: true,
      feeds: ['ls'],
    });
  });

  it('splits subshells and groups, and scopes cd to the subshell', () => {
    const parts = splitCommand('(cd /tmp && rm x); { cd src; ls; }; pwd');
    expect(parts.map((p) => [p.argv[0], p.cwd?.raw])).toEqual([
      ['cd', undefined],
      ['rm', '/tmp'],
      ['cd', undefined],
      ['ls', 'src'],
      ['pwd', 'src'],
    ]);
  });

  it('records what feeds an interpreter: pipes and process substitution', () => {
    expect(find('curl -s x | tee f | sh', 'sh')).toMatchObject({ code: 'stdin', feeds: ['curl', 'tee'] });
    expect(find('bash <(wget -qO- x)', 'bash')).toMatchObject({ code: 'dynamic', feeds: ['wget'] });
  });

  it('substitutes variables set earlier in the same command, and not those only known at run time', () => {
    const cat = find('D=~/.ssh; cat $D/key "$OTHER"', 'cat');
    expect(cat?.words[1]?.segments).toEqual([
      { kind: 'tilde', text: '~' },
      { kind: 'lit', text: '/.ssh' },
      { kind: 'lit', text: '/key' },
    ]);
    expect(cat?.words[2]?.segments).toEqual([{ kind: 'var', text: 'OTHER' }]);
  });

  it("tells a quoted '$HOME' from an expanded one", () => {
    const echo = find(`echo '$HOME' "$HOME" ~ "~"`, 'echo');
    expect(echo?.words.slice(1).map((w) => w.segments[0]?.kind)).toEqual(['lit', 'var', 'tilde', 'lit']);
  });

  it('reads redirections and here-documents, with the substitutions inside unquoted ones', () => {
    const parts = splitCommand("cat <<EOF 2>/dev/null > out.txt\n$(whoami)\nEOF\ncat <<'X'\n$(rm -rf ~)\nX");
    expect(parts.map((p) => p.argv)).toEqual([['whoami'], ['cat'], ['cat']]);
    expect(parts[1]?.redirects.map((r) => [r.fd, r.op, r.target.raw])).toEqual([
      [undefined, '<<', 'EOF'],
      [2, '>', '/dev/null'],
      [undefined, '>', 'out.txt'],
    ]);
  });

  it('reaches into find -exec, if/then and for loops', () => {
    expect(argvs('find . -name x -exec rm {} +')[1]).toEqual(['rm', './{}']);
    expect(argvs('if test -f x; then rm x; else touch x; fi')).toEqual([
      ['test', '-f', 'x'],
      ['rm', 'x'],
      ['touch', 'x'],
    ]);
    expect(argvs('for f in $(ls); do cat $f; done')).toEqual([['ls'], ['cat', '$f']]);
  });

  it('marks the parts inside a shell function', () => {
    expect(splitCommand(':(){ :|:& };:').map((p) => p.inFunction)).toEqual([':', ':', undefined]);
  });

  it('refuses what it cannot follow', () => {
    for (const bad of [
      'echo "open',
      "echo 'open",
      'echo $(ls',
      'ls &&',
      'case $x in a) ls;;',
      'case $x a) ls;; esac',
      'case $x in a ls;; esac',
      'echo a;; b',
      'echo `ls',
      `echo ${'$('.repeat(200)}ls${')'.repeat(200)}`,
    ])
      expect(() => splitCommand(bad), bad).toThrow(ShellSyntaxError);
  });
});
