// The everyday commands of software work, allowed once every earlier rule let them through:
// ls, cat, grep, sed -i, node, npm test, tsc, make, cargo, pytest, go test, git status/diff/
// commit…, and programs inside the worktree (`./scripts/build.sh`, `.venv/bin/pytest`).
import { parseGit } from '../git.js';
import { inWorktree, resolveWord } from '../paths.js';
import { builtin } from '../rule.js';
import { interpreterKind } from '../shell/code.js';

const devNames = new Set(
  `ls cat head tail less more wc grep egrep fgrep rg ag ack sed awk gawk cut sort uniq tr tee diff cmp comm patch
  echo printf pwd cd pushd popd true false test [ [[ : mkdir touch cp mv rm rmdir ln chmod file stat du df tree
  find fd xargs env printenv nice timeout nohup time command type which whereis basename dirname realpath
  readlink date sleep seq yes expr bc jq yq base64 md5sum sha1sum sha256sum sha512sum shasum xxd od hexdump
  strings tar gzip gunzip zcat bzip2 bunzip2 xz unxz zip unzip export unset set shift source . exit return
  local declare readonly typeset read wait trap alias node npm npx pnpm yarn bun deno tsc tsx ts-node vitest
  jest mocha eslint prettier biome make cmake ninja meson gcc g++ cc c++ clang clang++ ld ar cargo rustc
  rustfmt go gofmt pytest ruff black mypy flake8 isort tox uv poetry pipenv ruby bundle rake rspec java javac
  mvn gradle kotlinc dotnet swift swiftc perl php composer lua git stdbuf column fold fmt nl paste join split
  rev tac expand unexpand iconv dos2unix clear tput uname whoami id hostname nproc getconf locale ps pgrep
  sqlite3 watch exec builtin eval printenv mktemp nl cksum setsid zstd unzstd pigz lz4 lzip lzma pbzip2 mawk
  nawk rsync`.split(/\s+/),
);

const gitSubs = new Set(
  `status diff add commit log show checkout switch branch restore stash reset clean rm mv blame grep rev-parse
  ls-files ls-tree merge-base describe tag config cherry-pick rebase merge revert shortlog apply format-patch am
  reflog show-ref symbolic-ref cat-file rev-list init version help bisect notes diff-tree diff-index for-each-ref
  name-rev check-ignore check-attr count-objects fsck gc prune worktree sparse-checkout whatchanged range-diff
  update-index write-tree hash-object var`.split(/\s+/),
);

const npmSubs = new Set(
  `test t tst run run-script rum start stop restart ci install i in isntall add exec x ls list ll la outdated
  audit pack init create prune rebuild rb uninstall un remove rm r update up upgrade why explain view info show
  v version help bin root prefix fund doctor dedupe ddp find-dupes query sbom pkg config get`.split(/\s+/),
);

export const worktreeExecutable = builtin(
  'worktree-executable',
  'allow',
  'a program inside the worktree (`./scripts/build.sh`, `node_modules/.bin/tsc`, `.venv/bin/pytest`)',
  'the worktree’s own scripts and tools run like any dev command',
  (s, env) => {
    if (s.kind !== 'command') return false;
    const exe = s.part.words[0];
    if (!exe?.raw.includes('/')) return false;
    const place = resolveWord(exe, s.cwd, env);
    return place !== undefined && inWorktree(place, env);
  },
);

export const devCommands = builtin(
  'dev-commands',
  'allow',
  'ordinary development commands (ls, cat, grep, sed, node, npm test/ci/install, npx, tsc, make, cargo, python, pytest, go, git status/diff/add/commit/log/checkout…), variable assignments, redirections and calls of functions the command defines',
  'an everyday development command that no earlier rule stopped',
  (s) => {
    if (s.kind !== 'command') return false;
    if (s.part.argv.length === 0) return s.part.via !== 'unparsed';
    if (s.part.callsFunction) return true;
    const name = s.name;
    if (name === 'git') {
      const sub = parseGit(s.part.words).sub;
      return sub === undefined || gitSubs.has(sub);
    }
    if (name === 'npm') {
      const sub = s.part.argv.slice(1).find((a) => !a.startsWith('-'));
      return sub === undefined || npmSubs.has(sub);
    }
    // GNU parallel runs its jobs here unless told to log in elsewhere (`-S host`).
    if (name === 'parallel') return !s.part.argv.some((a) => /^(-S|--sshlogin|--slf|--sshloginfile)/.test(a));
    return devNames.has(name) || interpreterKind(name) !== undefined || /^pip\d*(\.\d+)?$/.test(name);
  },
);
