// `gt mayor attach` without Claude Code: a line-based conversation with the Mayor over our own tool
// loop. Each line is a request of its own in the ledger (so its beads trace back to it), while the
// conversation carries on across lines; one `gt mcp` serves the whole session.
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { ModelMessage } from '../agents/model/index.js';
import { priceTable } from '../roles/budget/prices.js';
import { loadTownConfig } from '../town/index.js';
import type { TownServices } from '../town/services.js';
import { mayorDir, mayorPrompt } from './ask.js';
import type { MayorEvent } from './model-mayor.js';
import { runModelMayor } from './model-mayor.js';
import { recordAnswer, recordRequest } from './request.js';
import type { MayorRuntimeChoice } from './runtime-choice.js';
import { connectTownTools } from './town-tools.js';

export interface ReplOptions {
  town: TownServices;
  root: string;
  by: string;
  env: Record<string, string | undefined>;
  gt: readonly string[];
  runtime: MayorRuntimeChoice & { name: 'anthropic' | 'openai' };
  input: Readable;
  write: (text: string) => void;
  /** Show a `mayor> ` prompt (a terminal). */
  prompt: boolean;
  onEvent?: (event: MayorEvent) => void;
}

const leave = new Set(['/exit', '/quit', 'exit', 'quit']);

/** Runs until the input ends or the Overseer types /exit; returns how many requests were asked. */
export async function runMayorRepl(options: ReplOptions): Promise<number> {
  const config = await loadTownConfig(options.root);
  mayorDir(options.root);
  const system = await mayorPrompt(options.town, options.root);
  const tools = await connectTownTools({ gt: options.gt, root: options.root, env: options.env });
  const ask = () => options.prompt && options.write('mayor> ');
  let history: ModelMessage[] = [];
  let asked = 0;
  try {
    options.write(
      `The Mayor of ${config.name} (${options.runtime.name}) is listening. One request per line; /exit or end of input leaves.\n`,
    );
    ask();
    for await (const raw of createInterface({ input: options.input, terminal: false })) {
      const line = raw.trim();
      if (leave.has(line)) break;
      if (line === '') {
        ask();
        continue;
      }
      const request = recordRequest(options.town, line, options.by);
      asked += 1;
      const result = await runModelMayor({
        town: options.town,
        runtime: options.runtime.name,
        config: options.runtime.config,
        prices: priceTable(config.prices),
        env: options.env,
        tools,
        request,
        system,
        history,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      });
      history = result.messages;
      recordAnswer(options.town, request, result.answer);
      options.write(`${result.answer.text}\n`);
      ask();
    }
  } finally {
    await tools.close();
  }
  return asked;
}
