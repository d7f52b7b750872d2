#!/usr/bin/env bash
# A short walk through Gas Town on a fresh machine: make a town, add a rig (a small git repository
# made here, or the one you pass), create beads with a dependency, ask what is ready, and sling a
# bead with steps to a polecat.
# Usage: scripts/quickstart.sh [town-dir] [git-url]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
gt() { echo "\$ gt $*" >&2; node "$here/dist/bin/gt.js" "$@"; }

town="${1:-$(mktemp -d)/town}"
repo="${2:-}"
if [ -z "$repo" ]; then
  repo="$(mktemp -d)/webapp"
  git init -q -b main "$repo"
  echo "# webapp" > "$repo/README.md"
  git -C "$repo" add README.md
  git -C "$repo" -c user.name=quickstart -c user.email=quickstart@gastown.invalid commit -qm "initial commit"
fi

gt install "$town"
export GT_TOWN="$town"
gt rig add webapp "$repo" --check "test -f README.md"
epic=$(gt --json bd create "Ship the login page" -t epic -p 1 --rig webapp | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')
form=$(gt --json bd create "Write the login form" --parent "$epic" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')
gt bd create "Rate-limit the login endpoint" --rig webapp --deps "blocks:$form"
gt bd ready
gt bd blocked
gt --actor webapp/polecats/nux bd update "$form" --claim
gt bd close "$form" --reason "done in the quick start"
gt bd ready
gt trace "$epic"
# A polecat at work: the script agent runs the bead's steps in the sandbox, through the policy.
work=$(gt --json bd create "Add a health check" --rig webapp \
  --step 'mkdir -p src && echo "export const ok = () => true;" > src/health.ts' \
  --step 'test -s src/health.ts' | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')
gt sling "$work" webapp
gt polecat list
git -C "$town/webapp/repo.git" log -1 --format='%an%n%B' "polecat/furiosa/$work" >&2
gt feed --bead "$work"
gt audit checkpoint
gt audit verify
echo "Your town is at $town (export GT_TOWN=$town to keep using it)." >&2
