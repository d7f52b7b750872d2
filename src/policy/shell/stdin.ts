// Whether a command reads input from anywhere but the session's stdin: an input redirection or a
// here-document on any command, group or loop. Commands run by an agent get no stdin of their own
// (a closed or empty one), so `xargs rm -f a` with nothing redirected runs exactly `rm -f a`.
import type { CommandNode, ListNode, RedirectNode } from './ast.js';

const inputOps = new Set(['<', '<<', '<<-', '<<<', '<>', '<&']);

export function readsInput(list: ListNode): boolean {
  return list.items.some((pipeline) => pipeline.stages.some(commandReads));
}

function commandReads(node: CommandNode): boolean {
  switch (node.type) {
    case 'simple':
      return redirects(node.redirects) || node.words.some((w) => w.subs.some(readsInput));
    case 'subshell':
    case 'group':
      return redirects(node.redirects) || readsInput(node.body);
    case 'function':
      return commandReads(node.body);
    case 'case':
      return redirects(node.redirects) || node.arms.some(readsInput);
    case 'noop':
      return redirects(node.redirects);
  }
}

function redirects(list: RedirectNode[]): boolean {
  return list.some((r) => inputOps.has(r.op));
}
