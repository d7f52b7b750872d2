// The scripted model server by hand: `npx tsx test/support/model-server.ts script.yaml [--port N]`
// reads a YAML list of turns (checked here, so a typo names the turn and field), prints the URL,
// then one line per request until interrupted.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import type { RecordedRequest, ScriptedTurn } from './model-server-wire.js';

const count = z.number().int().nonnegative();
const turnSchema = z.strictObject({
  text: z.string().optional(),
  thinking: z.string().optional(),
  toolCalls: z
    .array(
      z.strictObject({
        id: z.string().optional(),
        name: z.string().min(1),
        input: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
  usage: z
    .strictObject({ input: count, output: count, cacheRead: count.optional(), cacheWrite: count.optional() })
    .optional(),
  error: z
    .strictObject({
      status: z.number().int().min(400).max(599),
      message: z.string().optional(),
      retryAfterSeconds: count.optional(),
      shouldRetry: z.boolean().optional(),
    })
    .optional(),
  delayMs: count.optional(),
  stopReason: z.string().optional(),
});
const scriptSchema = z.array(turnSchema);

/** Reads and checks a script file: a YAML (or JSON) list of turns. */
export async function loadScript(file: string): Promise<ScriptedTurn[]> {
  const parsed = scriptSchema.safeParse(parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a list of turns\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

interface Started {
  url: string;
  close(): Promise<void>;
}
type Start = (options: {
  script: ScriptedTurn[];
  port?: number;
  onRequest: (request: RecordedRequest) => void;
}) => Promise<Started>;

export async function runFromCommandLine(args: string[], start: Start): Promise<void> {
  const portAt = args.indexOf('--port');
  const port = portAt >= 0 ? Number(args[portAt + 1]) : undefined;
  const file = args.find((arg, index) => !arg.startsWith('--') && index !== portAt + 1);
  if (!file || (port !== undefined && !Number.isInteger(port))) {
    process.stderr.write('usage: npx tsx test/support/model-server.ts script.yaml [--port N]\n');
    process.exitCode = 2;
    return;
  }
  const script = await loadScript(file);
  const server = await start({
    script,
    ...(port !== undefined ? { port } : {}),
    onRequest: (request) => {
      process.stdout.write(`${request.method} ${request.path}${request.query} api=${request.api}\n`);
    },
  });
  process.stdout.write(`${server.url}\n`);
  process.stdout.write(
    `Anthropic: ANTHROPIC_BASE_URL=${server.url}  OpenAI: OPENAI_BASE_URL=${server.url}/v1\n`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
