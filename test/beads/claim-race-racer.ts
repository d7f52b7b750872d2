// The test's handle on one racer process: spawns claim-race-worker.ts under tsx with an IPC
// channel, and pairs each request with the reply that answers it (the racer answers in order).
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RacerReply, RacerRequest } from './claim-race-protocol.js';
import { racerReply } from './claim-race-protocol.js';

const workerFile = fileURLToPath(new URL('./claim-race-worker.ts', import.meta.url));

interface Pending {
  resolve: (reply: RacerReply) => void;
  reject: (error: Error) => void;
}

export class Racer {
  private readonly child: ChildProcess;
  private readonly pending: Pending[] = [];
  private stderr = '';
  private exited = false;

  private constructor(
    readonly name: string,
    file: string,
  ) {
    this.child = fork(workerFile, [file, name], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('message', (raw: unknown) => this.pending.shift()?.resolve(racerReply.parse(raw)));
    this.child.on('exit', (code) => {
      this.exited = true;
      const error = new Error(`racer ${name} exited (code ${code ?? 'null'}): ${this.stderr.trim()}`);
      for (const waiting of this.pending.splice(0)) waiting.reject(error);
    });
  }

  /** Starts a racer on `file` (a town.db or a postgres:// URL), resolved once its store is open. */
  static async start(file: string, name: string): Promise<Racer> {
    const racer = new Racer(name, file);
    const first = await racer.next();
    if (first.kind !== 'ready') throw new Error(`racer ${name} did not start: ${JSON.stringify(first)}`);
    return racer;
  }

  request(message: RacerRequest): Promise<RacerReply> {
    const reply = this.next();
    this.child.send(message);
    return reply;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ kind: 'stop' } satisfies RacerRequest);
    await gone;
  }

  kill(): void {
    if (!this.exited) this.child.kill();
  }

  private next(): Promise<RacerReply> {
    if (this.exited) return Promise.reject(new Error(`racer ${this.name} has exited: ${this.stderr.trim()}`));
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
}
