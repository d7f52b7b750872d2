// splitCommand on `case … esac`, and on tools that name a command to run (tar, rsync, git
// rebase -x, parallel, xargs without input): every command inside is a part of its own.
import { describe, expect, it } from 'vitest';
import { splitCommand } from '../../src/policy/index.js';

const argvs = (command: string) => splitCommand(command).map((p) => p.argv);

describe('case … esac', () => {
  it('splits every arm, with alternative patterns, into parts', () => {
    expect(argvs('case $x in a|b) ls ;; *) rm -rf ~ ;; esac')).toEqual([['ls'], ['rm', '-rf', '~']]);
  });

  it('takes `(pattern)`, `;&`, `;;&`, empty arms, newlines and a last arm without `;;`', () => {
    const script =
      'case "$1" in\n  (a) echo a;;\n  b|c)\n    echo b\n    ;&\n  d) ;;&\n  *) echo z\nesac; ls';
    expect(argvs(script)).toEqual([['echo', 'a'], ['echo', 'b'], ['echo', 'z'], ['ls']]);
  });

  it('finds commands in the subject and patterns', () => {
    expect(argvs('case $(id -u) in $(whoami)) true ;; esac')).toEqual([['id', '-u'], ['whoami'], ['true']]);
  });

  it('nests in if, for, while and functions, and takes redirections after esac', () => {
    expect(argvs('if true; then case x in y) cat f;; esac; fi')).toEqual([['true'], ['cat', 'f']]);
    expect(argvs('for i in 1 2; do case $i in 1) touch a ;; 2) touch b ;; esac; done')).toEqual([
      ['touch', 'a'],
      ['touch', 'b'],
    ]);
    expect(argvs('f() { case $1 in *) echo "$1";; esac; }; f x')).toEqual([
      ['echo', '$1'],
      ['f', 'x'],
    ]);
    const parts = splitCommand('case x in a) ls;; esac > out.txt');
    expect(parts.at(-1)?.redirects.map((r) => r.target.raw)).toEqual(['out.txt']);
  });

  it('reads `case`, `in` and `esac` as words where they are not keywords', () => {
    expect(argvs('echo case in esac')).toEqual([['echo', 'case', 'in', 'esac']]);
    expect(argvs('case x in esac')).toEqual([]);
  });
});

describe('commands named by a tool’s options', () => {
  it('judges the programs of tar, zip, rsync and git as parts of their own', () => {
    expect(argvs("tar --checkpoint-action=exec='rm -rf ~' -cf a.tar .").slice(1)).toEqual([
      ['rm', '-rf', '~'],
    ]);
    expect(argvs('tar -I "zstd -19" -cf a.tar.zst src').slice(1)).toEqual([['zstd', '-19']]);
    expect(argvs('tar --to-command=sh -xf a.tar').slice(1)).toEqual([['sh']]);
    expect(argvs("zip -TT 'unzip -t' a.zip f").slice(1)).toEqual([['unzip', '-t']]);
    expect(argvs("rsync -e 'ssh -p 2222' a host:b").slice(1)).toEqual([['ssh', '-p', '2222']]);
    expect(argvs("git rebase -x 'npm test' main").slice(1)).toEqual([['npm', 'test']]);
    expect(argvs('git bisect run npm test').slice(1)).toEqual([['npm', 'test']]);
    expect(splitCommand('tar --to-command="$CMD" -xf a.tar')[0]?.code).toBe('dynamic');
  });

  it('judges parallel’s command with its inputs unknown, and xargs’s arguments only when input is given', () => {
    expect(argvs('parallel gzip ::: a b').slice(1)).toEqual([['gzip', '$@']]);
    expect(splitCommand('parallel')[0]?.code).toBe('dynamic');
    const rm = (command: string) => splitCommand(command).find((p) => p.argv[0] === 'rm');
    expect(rm('xargs -0 rm -f ./build/x.o')?.argsFromInput).toBeUndefined();
    expect(rm('ls | xargs rm')?.argsFromInput).toBe(true);
    expect(rm('xargs rm < list')?.argsFromInput).toBe(true);
    expect(rm('{ xargs rm; } < list')?.argsFromInput).toBe(true);
    expect(rm('while read f; do xargs rm; done <<EOF\na\nEOF')?.argsFromInput).toBe(true);
    expect(rm('xargs -a list rm')?.argsFromInput).toBe(true);
  });

  it('keeps a here-document’s text on its redirection', () => {
    const [part] = splitCommand("sqlite3 db <<'SQL'\n.shell id\nSQL");
    expect(part?.redirects[0]?.body).toBe('.shell id\n');
  });
});
