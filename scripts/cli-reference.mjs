// Generates docs/reference/cli.md from the commander program itself, so the reference cannot drift
// from the code: every command (walked recursively), its usage, description, arguments and options.
// Usage (after `npm run build`, which `npm run docs` does first):
//   node scripts/cli-reference.mjs            write docs/reference/cli.md
//   node scripts/cli-reference.mjs --stdout   print it instead (the test compares this to the file)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const referenceFile = fileURLToPath(new URL('../docs/reference/cli.md', import.meta.url));

/** Escapes `<dir>` outside code spans (Markdown would take it for an HTML tag and hide it). */
const prose = (text) =>
  String(text)
    .split(/(`[^`]*`)/)
    .map((part, n) => (n % 2 === 1 ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function fullName(command) {
  const names = [];
  for (let c = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function anchorOf(command) {
  return fullName(command).replace(/\s+/g, '-').toLowerCase();
}

function table(head, rows) {
  if (rows.length === 0) return [];
  return [
    `| ${head[0]} | ${head[1]} |`,
    '|---|---|',
    ...rows.map(([a, b]) => `| ${cell(a)} | ${cell(b)} |`),
    '',
  ];
}

function section(command, depth) {
  const help = command.createHelp();
  const lines = [`${'#'.repeat(Math.min(depth + 1, 4))} \`${fullName(command)}\``, ''];
  if (command.description()) lines.push(prose(command.description()), '');
  lines.push('```', help.commandUsage(command), '```', '');
  const aliases = command.aliases();
  if (aliases.length > 0) lines.push(`Aliases: ${aliases.map((a) => `\`${a}\``).join(', ')}`, '');
  lines.push(
    ...table(
      ['argument', 'description'],
      help
        .visibleArguments(command)
        .map((arg) => [`\`${help.argumentTerm(arg)}\``, prose(help.argumentDescription(arg))]),
    ),
  );
  const options = help.visibleOptions(command).filter((option) => option.long !== '--help');
  lines.push(
    ...table(
      ['option', 'description'],
      options.map((option) => [`\`${help.optionTerm(option)}\``, prose(help.optionDescription(option))]),
    ),
  );
  const subcommands = help.visibleCommands(command).filter((sub) => sub.name() !== 'help');
  if (subcommands.length > 0 && command.parent) {
    lines.push(
      ...table(
        ['command', 'does'],
        subcommands.map((sub) => [`[\`${fullName(sub)}\`](#${anchorOf(sub)})`, prose(sub.description())]),
      ),
    );
  }
  for (const sub of subcommands) lines.push(...section(sub, depth + 1));
  return lines;
}

/** The whole reference as Markdown, from a commander program (`buildProgram(io)`). */
export function renderCliReference(program) {
  const help = program.createHelp();
  const top = help.visibleCommands(program).filter((sub) => sub.name() !== 'help');
  const lines = [
    '# `gt` command reference',
    '',
    '<!-- Generated from the commander program by scripts/cli-reference.mjs: do not edit by hand.',
    '     Regenerate with `npm run docs`; test/docs/cli-reference.test.ts fails when it is stale. -->',
    '',
    prose(program.description()),
    '',
    'Options every command accepts (before or after the command name):',
    '',
    ...table(
      ['option', 'description'],
      help
        .visibleOptions(program)
        .filter((option) => option.long !== '--help')
        .map((option) => [`\`${help.optionTerm(option)}\``, prose(help.optionDescription(option))]),
    ),
    'Exit codes: 0 ok, 1 failure, 2 bad input, 3 not found, 4 conflict (including "already claimed"),',
    '5 not inside a town. With `--json`, an error is `{"error": "...", "code": "..."}` on stderr.',
    '',
    '## Commands',
    '',
    ...top.map((sub) => `- [\`${fullName(sub)}\`](#${anchorOf(sub)}): ${prose(sub.description())}`),
    '',
  ];
  for (const sub of top) lines.push(...section(sub, 1));
  return (
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

async function main() {
  const { buildProgram } = await import('../dist/src/cli/program.js');
  // A program built with an inert io: nothing runs, only the declarations are read.
  const io = { stdout: () => {}, stderr: () => {}, env: {}, cwd: '/' };
  const text = renderCliReference(buildProgram(io));
  if (process.argv.includes('--stdout')) process.stdout.write(text);
  else {
    writeFileSync(referenceFile, text);
    process.stderr.write(`wrote ${referenceFile}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
