// What a command may touch of the outside world, injectable so tests can run commands in-process.
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Options every command accepts, wherever they appear on the command line. */
export interface GlobalOptions {
  json?: boolean;
  town?: string;
  actor?: string;
}

export function printJson(io: CliIO, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

export function printLine(io: CliIO, line = ''): void {
  io.stdout(line + '\n');
}
