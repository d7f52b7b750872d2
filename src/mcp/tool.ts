// One town tool as the MCP server offers it: a name, what it is for (the model reads this), a zod
// input shape (validated by the SDK before `run`), and `run`, which returns plain data.
import type { z } from 'zod';
import type { TownServices } from '../town/services.js';

/** What a tool runs with: the open town and who is calling, on whose request. */
export interface McpContext {
  town: TownServices;
  root: string;
  /** The actor every change is recorded as (`mayor`, or $GT_ACTOR). */
  actor: string;
  /** The Overseer's request these calls serve (`gt mayor ask` sets GT_REQUEST_SPAN / GT_REQUEST_ID). */
  requestSpan?: string;
  requestId?: string;
}

export interface TownTool<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  description: string;
  input: S;
  /** Reads only (an MCP hint; read calls are still recorded). */
  readOnly?: boolean;
  run(args: z.output<z.ZodObject<S>>, ctx: McpContext): Promise<unknown>;
}

/** Keeps each tool's argument type while the list holds them all. */
export function defineTool<S extends z.ZodRawShape>(tool: TownTool<S>): TownTool {
  return tool;
}
