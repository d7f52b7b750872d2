// Prints the bench's results: one line per measurement with the baseline measured in the same
// run, their ratio and, where there is one, the verdict against the target.

export interface Target {
  text: string;
  ok: boolean;
}

export interface Comparison {
  name: string;
  value: string;
  baselineName: string;
  baseline: string;
  /** How many times the baseline's cost the measurement costs. */
  ratio: number;
  target?: Target;
}

export function comparisonLine(c: Comparison): string {
  const parts = [
    `${c.name}: ${c.value}`,
    `baseline ${c.baselineName}: ${c.baseline}`,
    `ratio ${ratio(c.ratio)}`,
  ];
  if (c.target) parts.push(`target ${c.target.text}: ${c.target.ok ? 'OK' : 'MISSED'}`);
  return parts.join('  | ');
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = value < 1 ? 3 : value < 10 ? 2 : 1;
  return `${value.toFixed(digits)} ms`;
}

export function ratio(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}x`;
}

export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : Number.POSITIVE_INFINITY;
}

export function rate(value: number, unit: string): string {
  return `${Math.round(value).toLocaleString('en-US')} ${unit}/s`;
}

export function thousands(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

/** A result line. */
export function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A progress note, indented so results stand out. */
export function progress(text: string): void {
  process.stdout.write(`  · ${text}\n`);
}
