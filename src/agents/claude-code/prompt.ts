// What Claude Code is told: the bead as its first user message, and each nudge as another one, both
// as stream-json user messages on its stdin.
import { giveUpCommand } from '../codex/governor.js';
import { contextRigsText } from '../context-prompt.js';
import type { SessionStart } from '../runtime.js';

export function userMessage(text: string): string {
  return `${JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'text', text }] } })}\n`;
}

export function taskPrompt(start: SessionStart): string {
  const { task } = start;
  const parts = [`You are a Gas Town polecat working on bead ${task.beadId}: ${task.title}`];
  if (task.description?.trim()) parts.push(task.description.trim());
  if (task.steps.length > 0)
    parts.push(`Suggested steps:\n${task.steps.map((step) => `- ${step}`).join('\n')}`);
  const context = contextRigsText(start.contextRigs);
  if (context !== undefined) parts.push(context);
  if (start.preamble?.trim()) parts.push(start.preamble.trim());
  parts.push(
    [
      `Work in ${start.worktree}, your own git worktree. Gas Town commits your changes when you`,
      'finish, so do not commit or push. Every tool call is checked against the town policy; a',
      'denied call says which rule refused it and why: find another way, or, if you cannot finish,',
      `run \`${giveUpCommand} "<why>"\` (it ends the session) and stop. When the work is done,`,
      'reply with a one-line summary.',
    ].join(' '),
  );
  return parts.join('\n\n');
}
