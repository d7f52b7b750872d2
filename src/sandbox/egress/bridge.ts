// The egress bridge: the first process inside a sandbox that has its own network namespace. The
// namespace has nothing but its private loopback, so the bridge listens on 127.0.0.1:<port> there
// and pipes each connection to the session's egress gate over the unix socket bound into the
// sandbox; then it starts the agent's command with the terminal's stdio, passes signals on and
// exits with the command's status. Run as `node bridge.js <port> <socket> <file> [args…]`.
// Dependency-free on purpose (node's own modules only): it is run straight from dist by the
// sandbox's node, with nothing else of ours on its module path.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { constants } from 'node:os';

const forwarded: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

function fail(message: string, code: number): never {
  process.stderr.write(`gastown egress bridge: ${message}\n`);
  process.exit(code);
}

function pipeBoth(inside: Socket, socketPath: string): void {
  // Small writes (a request, an SSE frame) go out at once: Nagle's wait for the peer's delayed
  // ACK would add 40 ms to every exchange.
  inside.setNoDelay(true);
  const gate = connect(socketPath);
  const end = () => {
    inside.destroy();
    gate.destroy();
  };
  inside.on('error', end);
  gate.on('error', end);
  inside.on('close', end);
  gate.on('close', end);
  inside.pipe(gate);
  gate.pipe(inside);
}

function runCommand(file: string, args: string[]): void {
  const child = spawn(file, args, { stdio: 'inherit' });
  for (const signal of forwarded) process.on(signal, () => child.kill(signal));
  child.once('error', (error) => fail(`cannot start ${file}: ${error.message}`, 127));
  child.once('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.exit(128 + (constants.signals[signal] ?? 1));
  });
}

function main(argv: string[]): void {
  const [portText, socketPath, file, ...args] = argv;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !socketPath || !file) {
    fail('usage: bridge.js <port> <socket> <file> [args…]', 125);
  }
  const server = createServer((inside) => pipeBoth(inside, socketPath));
  server.once('error', (error) => fail(`cannot listen on 127.0.0.1:${port}: ${error.message}`, 125));
  server.listen(port, '127.0.0.1', () => runCommand(file, args));
}

main(process.argv.slice(2));
