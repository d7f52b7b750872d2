// A test host on another network: its own network namespace, joined to ours by a veth pair, with an
// HTTP server inside that reports every connection and every byte it receives. Addresses come from
// 198.18.0.0/15 (set aside for benchmarks, so never a real host and not one of the private ranges
// the egress gate refuses by itself). Needs root and iproute2; `close()` removes it all.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { execa } from 'execa';

export interface NetnsHost {
  /** The server's address, reachable from the host's own network namespace only. */
  address: string;
  port: number;
  /** `http://<address>:<port>` */
  url: string;
  /** Connections accepted and bytes received so far. */
  seen(): { connections: number; bytes: number };
  close(): Promise<void>;
}

const serverScript = `
const net = require('node:net');
const body = 'hello from the netns host';
net.createServer((socket) => {
  console.log(JSON.stringify({ event: 'connection' }));
  socket.on('data', (chunk) => {
    console.log(JSON.stringify({ event: 'data', bytes: chunk.length }));
    if (chunk.includes('\\r\\n\\r\\n')) socket.end('HTTP/1.1 200 OK\\r\\ncontent-length: ' + body.length + '\\r\\nconnection: close\\r\\n\\r\\n' + body);
  });
  socket.on('error', () => {});
}).listen(Number(process.argv[1]), process.argv[2], () => console.log(JSON.stringify({ event: 'listening' })));
`;

const ip = (...args: string[]) => execa('ip', args);

export async function startNetnsHost(port = 8080): Promise<NetnsHost> {
  const tag = randomBytes(3).toString('hex');
  const ns = `gt-egress-${tag}`;
  const outside = `gte${tag}h`;
  const inside = `gte${tag}n`;
  const subnet = 198 * 2 ** 24 + 18 * 2 ** 16 + (randomBytes(2).readUInt16BE() & 0xfffc);
  const dotted = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join('.');
  const hostSide = dotted(subnet + 1);
  const address = dotted(subnet + 2);
  await ip('netns', 'add', ns);
  let server: ChildProcess | undefined;
  const close = async () => {
    server?.kill('SIGKILL');
    await ip('netns', 'del', ns).catch(() => undefined);
    await ip('link', 'del', outside).catch(() => undefined);
  };
  try {
    await ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
    await ip('link', 'set', inside, 'netns', ns);
    await ip('addr', 'add', `${hostSide}/30`, 'dev', outside);
    await ip('link', 'set', outside, 'up');
    await ip('-n', ns, 'addr', 'add', `${address}/30`, 'dev', inside);
    await ip('-n', ns, 'link', 'set', inside, 'up');
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
    const counts = { connections: 0, bytes: 0 };
    const proc = spawn(
      'ip',
      ['netns', 'exec', ns, process.execPath, '-e', serverScript, String(port), address],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    server = proc;
    await new Promise<void>((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`the netns server ended early (exit ${code})`)));
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const event = JSON.parse(line) as { event: string; bytes?: number };
        if (event.event === 'listening') resolve();
        if (event.event === 'connection') counts.connections++;
        if (event.event === 'data') counts.bytes += event.bytes ?? 0;
      });
    });
    return { address, port, url: `http://${address}:${port}`, seen: () => ({ ...counts }), close };
  } catch (error) {
    await close();
    throw error;
  }
}
