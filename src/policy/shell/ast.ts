// The parse tree the splitter walks. Words carry the command lists nested inside them.
import type { ShellWord } from './types.js';

export interface WordNode extends ShellWord {
  subs: ListNode[];
}

export interface RedirectNode {
  op: string;
  fd?: number;
  target: WordNode;
  /** Substitutions inside an unquoted here-document body. */
  heredocSubs: ListNode[];
  /** A here-document's text, as written. */
  body?: string;
}

export type CommandNode =
  | { type: 'simple'; assigns: WordNode[]; words: WordNode[]; redirects: RedirectNode[] }
  | { type: 'subshell'; body: ListNode; redirects: RedirectNode[] }
  | { type: 'group'; body: ListNode; redirects: RedirectNode[] }
  | { type: 'function'; name: string; body: CommandNode }
  /** `case WORD in PATTERN|PATTERN) LIST ;; … esac`: `words` are the subject and the patterns. */
  | { type: 'case'; words: WordNode[]; arms: ListNode[]; redirects: RedirectNode[] }
  /** Keywords and loop headers: nothing runs but their substitutions; `binds` is a loop variable. */
  | { type: 'noop'; words: WordNode[]; redirects: RedirectNode[]; binds?: string };

export interface PipelineNode {
  stages: CommandNode[];
}

export interface ListNode {
  items: PipelineNode[];
}
