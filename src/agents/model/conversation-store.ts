// Keeps a model runtime's conversation on disk, so a later session of the same bead can continue
// it after a crash, a budget stop or a handoff: `<town>/.gt/agents/<runtime>/<id>.json`, private to
// the town (.gt is 0700, each file 0600). Every save writes a temporary file and renames it over the
// last one, so a SIGKILL at any moment leaves the last complete save. The model's API key never
// reaches the file: any occurrence of it (a tool that printed the environment) is redacted.
//
// Exports: conversationStore(townRoot, runtime, secrets) → ConversationStore | undefined (no town:
// nothing is kept), newConversationId(), SavedConversation, LoadResult.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelMessage } from './types.js';

export interface SavedConversation {
  version: 1;
  id: string;
  runtime: string;
  beadId: string;
  /** The model that held the conversation (thinking blocks are signed for it). */
  model: string;
  /** sha256 of the system prompt the conversation was held under. */
  systemSha256: string;
  savedAt: string;
  messages: ModelMessage[];
}

export type LoadResult = { ok: true; conversation: SavedConversation } | { ok: false; reason: string };

export interface ConversationStore {
  fileOf(id: string): string;
  /** Replaces the saved conversation atomically; throws when the disk refuses. */
  save(conversation: SavedConversation): void;
  /** The saved conversation, or why there is none usable (missing, unreadable, not ours). */
  load(id: string): LoadResult;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const redacted = '[redacted]';

export const newConversationId = (): string => `conv-${randomBytes(8).toString('hex')}`;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const call = z.object({
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  invalidInput: z.string().optional(),
});
const thinking = z.union([
  z.object({ text: z.string(), signature: z.string().optional() }),
  z.object({ redacted: z.string() }),
]);
const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('user'), text: z.string() }),
  z.object({
    role: z.literal('assistant'),
    text: z.string(),
    thinking: z.array(thinking).optional(),
    toolCalls: z.array(call),
  }),
  z.object({
    role: z.literal('tool'),
    results: z.array(z.object({ callId: z.string(), output: z.string(), isError: z.boolean() })),
  }),
]);
const saved = z.object({
  version: z.literal(1),
  id: z.string(),
  runtime: z.string(),
  beadId: z.string(),
  model: z.string(),
  systemSha256: z.string(),
  savedAt: z.string(),
  messages: z.array(message).min(1),
});

/** The store under `townRoot`, or undefined when the session has no town to keep it in. */
export function conversationStore(
  townRoot: string | undefined,
  runtime: string,
  secrets: readonly string[],
): ConversationStore | undefined {
  if (!townRoot) return undefined;
  const dir = join(townRoot, '.gt', 'agents', runtime);
  // Short values could occur by chance in any text; a real key is long.
  const hidden = secrets.filter((s) => s.length >= 8);
  const fileOf = (id: string) => {
    if (!idPattern.test(id)) throw new Error(`not a conversation id: ${JSON.stringify(id.slice(0, 40))}`);
    return join(dir, `${id}.json`);
  };
  return {
    fileOf,
    save(conversation) {
      const file = fileOf(conversation.id);
      let text = JSON.stringify(conversation);
      for (const secret of hidden) text = text.split(secret).join(redacted);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const temp = join(dir, `.${conversation.id}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        const fd = openSync(temp, 'wx', 0o600);
        try {
          writeSync(fd, text);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(temp, file);
      } catch (error) {
        rmSync(temp, { force: true });
        throw error;
      }
    },
    load(id) {
      let file: string;
      try {
        file = fileOf(id);
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        return { ok: false, reason: missing ? `${file} does not exist` : `${file}: ${String(error)}` };
      }
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        return { ok: false, reason: `${file} is not valid JSON (${text.length} bytes)` };
      }
      const parsed = saved.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.join('.') ?? '';
        return {
          ok: false,
          reason: `${file} is not a saved conversation (${where}: ${issue?.message ?? '?'})`,
        };
      }
      const conversation: SavedConversation = parsed.data;
      if (conversation.id !== id || conversation.runtime !== runtime) {
        return { ok: false, reason: `${file} holds ${conversation.runtime} conversation ${conversation.id}` };
      }
      return { ok: true, conversation };
    },
  };
}
