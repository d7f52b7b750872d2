// `gt mayor ask "<request>"`: records the Overseer's words, then runs the Mayor once in
// `<town>/mayor/` with the town's tools — our own tool loop for `anthropic` / `openai`, Claude Code
// for `claude-code` — records what its model calls spent and its answer, and returns it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { priceTable } from '../roles/budget/prices.js';
import { listRigs, loadTownConfig } from '../town/index.js';
import type { TownServices } from '../town/services.js';
import { runClaudeMayor } from './claude-mayor.js';
import type { MayorEvent } from './model-mayor.js';
import { runModelMayor } from './model-mayor.js';
import { mayorSystemPrompt } from './prompt.js';
import type { MayorAnswer, MayorRequest } from './request.js';
import { recordAnswer, recordMayorUsage, recordRequest } from './request.js';
import { chooseMayorRuntime } from './runtime-choice.js';
import { connectTownTools } from './town-tools.js';

export interface AskOptions {
  town: TownServices;
  root: string;
  request: string;
  /** Who asks (the Overseer). */
  by: string;
  env: Record<string, string | undefined>;
  /** How to run `gt` for the MCP server: [executable, ...arguments before the command]. */
  gt: readonly string[];
  agent?: string;
  signal?: AbortSignal;
  onEvent?: (event: MayorEvent) => void;
}

export interface AskResult {
  request: MayorRequest;
  answer: MayorAnswer;
}

/** The Mayor's workspace, made on first use. */
export function mayorDir(root: string): string {
  const dir = join(root, 'mayor');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function mayorPrompt(town: TownServices, root: string): Promise<string> {
  const config = await loadTownConfig(root);
  return mayorSystemPrompt({
    town: config.name,
    rigs: listRigs(town.db),
    polecatAgent: config.default_agent,
  });
}

export async function askMayor(options: AskOptions): Promise<AskResult> {
  const config = await loadTownConfig(options.root);
  const runtime = chooseMayorRuntime(config, options.agent);
  const cwd = mayorDir(options.root);
  const system = await mayorPrompt(options.town, options.root);
  const request = recordRequest(options.town, options.request, options.by);
  const prices = priceTable(config.prices);
  let answer: MayorAnswer;
  if (runtime.name === 'claude-code') {
    answer = await runClaudeMayor({
      root: options.root,
      cwd,
      config: runtime.config,
      env: options.env,
      gt: options.gt,
      request,
      system,
      onUsage: (usage) => recordMayorUsage(options.town, request, usage, prices),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
  } else {
    const tools = await connectTownTools({ gt: options.gt, root: options.root, env: options.env, request });
    try {
      answer = (
        await runModelMayor({
          town: options.town,
          runtime: runtime.name,
          config: runtime.config,
          prices,
          env: options.env,
          tools,
          request,
          system,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        })
      ).answer;
    } finally {
      await tools.close();
    }
  }
  recordAnswer(options.town, request, answer);
  return { request, answer };
}
