// `gt trace <bead>`: the causal tree of a bead and its children — who created and claimed it,
// every session, tool call, decision, commit and merge under it, with times and costs.
import type { Command } from 'commander';
import type { Bead, BeadStore } from '../../beads/index.js';
import type { BeadTrace, LedgerEvent, TraceBead, TraceNode } from '../../ledger/index.js';
import { buildTrace, queryEvents, spanAncestors } from '../../ledger/index.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';

export function registerTrace(program: Command, io: CliIO): void {
  program
    .command('trace <bead>')
    .description('show what happened to a bead and why: its causal tree of events')
    .action((beadId: string, _opts: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const beads = await beadWithDescendants(ctx.beads, beadId);
        const events: LedgerEvent[] = beads.flatMap((b) => queryEvents(ctx.db, { beadId: b.id }));
        // Above the bead: what caused it (the Mayor's plan or tool call, the Overseer's request).
        const trace = buildTrace(beadId, beads, events, spanAncestors(ctx.db, events));
        const { moleculeOf } = await import('./trace-molecule.js');
        const molecule = moleculeOf(
          await ctx.beads.require(beadId),
          await ctx.beads.get(beadId.split('.')[0]!),
        );
        if (ctx.json) return printJson(io, molecule ? { ...trace, molecule } : trace);
        if (molecule) printLine(io, molecule.line);
        renderTrace(io, trace, '');
      }),
    );
}

async function beadWithDescendants(store: BeadStore, rootId: string): Promise<TraceBead[]> {
  const root = await store.require(rootId);
  const out: TraceBead[] = [summary(root)];
  const queue = [root.id];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of await store.list({ parent, all: true })) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      out.push({ ...summary(child), parent });
      queue.push(child.id);
    }
  }
  return out;
}

function summary(bead: Bead): TraceBead {
  return { id: bead.id, title: bead.title, status: bead.status };
}

function renderTrace(io: CliIO, trace: BeadTrace, indent: string): void {
  const t = trace.totals;
  const cost = t.cost_usd > 0 ? `, $${t.cost_usd.toFixed(4)}` : '';
  const tokens = t.input_tokens + t.output_tokens > 0 ? `, ${t.input_tokens}+${t.output_tokens} tokens` : '';
  printLine(
    io,
    `${indent}${trace.bead.id} [${trace.bead.status}] ${trace.bead.title}  (${t.events} events${cost}${tokens})`,
  );
  const renderNode = (node: TraceNode, depth: string): void => {
    const cost = node.cost_usd === undefined ? '' : ` ($${node.cost_usd.toFixed(4)})`;
    printLine(
      io,
      `${depth}├─ #${node.seq} ${node.ts.replace('T', ' ').slice(0, 19)} ${node.actor}: ${node.summary}${cost}`,
    );
    node.children.forEach((child) => renderNode(child, `${depth}│  `));
  };
  trace.events.forEach((node) => renderNode(node, `${indent}  `));
  trace.children.forEach((child) => renderTrace(io, child, `${indent}  `));
}
