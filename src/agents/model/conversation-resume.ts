// How a model session opens its conversation: afresh (the task as the first message), or, given
// SessionStart.resume, with the conversation an earlier session of the bead saved, followed by a
// note that the session was resumed (with any preamble: the handoff note, mail) and the task
// restated. A missing or unreadable conversation never fails the session: it starts afresh and
// says why. The session announces the conversation's id (`agent_session`) once it is on disk, and
// saves it again after every completed turn.
import type { AgentEvent, SessionStart } from '../runtime.js';
import type { ConversationStore, SavedConversation } from './conversation-store.js';
import { conversationStore, newConversationId, sha256 } from './conversation-store.js';
import type { ModelMessage } from './types.js';

export interface OpenInput {
  start: SessionStart;
  /** The runtime's name: conversations are kept per runtime. */
  runtime: string;
  model: string;
  system: string;
  /** The first message of a fresh conversation. */
  prompt: string;
  /** Values that must never reach the disk (the API key). */
  secrets: string[];
  emit: (event: AgentEvent) => void;
}

export interface OpenConversation {
  history: ModelMessage[];
  prompt: string;
  /** Saves the conversation after a completed turn; absent when nothing is kept. */
  onTurn?: (messages: readonly ModelMessage[]) => void;
}

export function openConversation(input: OpenInput): OpenConversation {
  const { start, emit } = input;
  const note = (text: string) => emit({ type: 'message', text });
  const store = conversationStore(start.env.GT_TOWN, input.runtime, input.secrets);
  if (!store) {
    if (start.resume !== undefined) {
      note(`cannot resume conversation ${start.resume}: the session has no town (GT_TOWN); starting afresh`);
    }
    return { history: [], prompt: input.prompt };
  }
  const resumed = start.resume === undefined ? undefined : resumeFrom(store, start.resume, input);
  // A resumed conversation is kept on under its own id, so the next session finds it again.
  const id = resumed && start.resume !== undefined ? start.resume : newConversationId();
  const base = {
    version: 1 as const,
    id,
    runtime: input.runtime,
    beadId: start.task.beadId,
    model: input.model,
    systemSha256: sha256(input.system),
  };
  const save = (messages: readonly ModelMessage[]) =>
    store.save({ ...base, savedAt: new Date().toISOString(), messages: [...messages] });
  const opening = resumed
    ? { history: resumed, prompt: resumeNote(start) }
    : { history: [], prompt: input.prompt };
  if (!resumed) {
    // A fresh conversation is on disk before its id is announced, so the id always resolves.
    try {
      save([{ role: 'user', text: opening.prompt }]);
    } catch (error) {
      note(`could not keep the conversation in ${store.fileOf(id)}: ${messageOf(error)}`);
      return opening;
    }
  }
  emit({ type: 'agent_session', id });
  let failed = false;
  const onTurn = (messages: readonly ModelMessage[]) => {
    try {
      save(messages);
      failed = false;
    } catch (error) {
      // Said once per run of failures: the session goes on, only its resumability suffers.
      if (!failed) note(`could not save the conversation to ${store.fileOf(id)}: ${messageOf(error)}`);
      failed = true;
    }
  };
  return { ...opening, onTurn };
}

/** The saved messages to continue from, or undefined (said why) when a fresh start it must be. */
function resumeFrom(store: ConversationStore, id: string, input: OpenInput): ModelMessage[] | undefined {
  const note = (text: string) => input.emit({ type: 'message', text });
  const loaded = store.load(id);
  if (!loaded.ok) {
    note(`could not resume conversation ${id}: ${loaded.reason}; starting afresh`);
    return undefined;
  }
  const saved: SavedConversation = loaded.conversation;
  if (saved.beadId !== input.start.task.beadId) {
    note(`could not resume conversation ${id}: it belongs to bead ${saved.beadId}; starting afresh`);
    return undefined;
  }
  let messages = saved.messages;
  if (saved.model !== input.model) {
    // Thinking blocks are signed for the model that wrote them; another model would refuse them.
    messages = messages.map((m) => (m.role === 'assistant' ? withoutThinking(m) : m));
  }
  const last = messages.at(-1);
  if (last?.role === 'assistant' && last.toolCalls.length > 0) {
    // Both providers insist every call has a result; a turn cut short gets one saying so.
    messages = [
      ...messages,
      {
        role: 'tool',
        results: last.toolCalls.map((c) => ({
          callId: c.id,
          output: 'not run: the session ended before this call ran',
          isError: true,
        })),
      },
    ];
  }
  const changes = [
    ...(saved.model === input.model ? [] : [`model ${saved.model} → ${input.model}`]),
    ...(saved.systemSha256 === sha256(input.system) ? [] : ['a changed system prompt']),
  ];
  note(
    `resumed conversation ${id}: ${messages.length} message(s) from earlier sessions, last saved ${saved.savedAt}` +
      (changes.length > 0 ? ` (now with ${changes.join(' and ')})` : ''),
  );
  return messages;
}

function withoutThinking(message: Extract<ModelMessage, { role: 'assistant' }>): ModelMessage {
  const { thinking: _dropped, ...rest } = message;
  return rest;
}

/** The user message a resumed conversation continues with. */
export function resumeNote(start: SessionStart): string {
  const { task } = start;
  return [
    'This session was resumed: the messages above are your conversation on this bead from an earlier',
    'session, which ended (a crash, a stop, a spent budget or a handoff). The worktree holds the work',
    'so far (the town may have committed it as WIP), so check its state rather than assuming your',
    'last step finished.',
    ...(start.preamble ? ['', start.preamble] : []),
    '',
    `Your task is still bead ${task.beadId}: ${task.title}. Continue where you left off; when the`,
    'work is done, reply without any tool call, with a short summary of what you changed.',
  ].join('\n');
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
