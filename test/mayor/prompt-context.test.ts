// The Mayor's system prompt says when a bead names context rigs and what the polecat then sees.
import { describe, expect, it } from 'vitest';
import { mayorSystemPrompt } from '../../src/mayor/prompt.js';

describe('the Mayor’s prompt on context rigs', () => {
  it('says a bead that must read another rig names it in context_rigs, read-only', () => {
    const prompt = mayorSystemPrompt({
      town: 'gastown',
      rigs: [
        { name: 'api', prefix: 'api', branch: 'main', check_command: null },
        { name: 'dashboard', prefix: 'db', branch: 'main', check_command: null },
      ],
      polecatAgent: 'claude-code',
    });
    expect(prompt).toContain('`context_rigs`');
    expect(prompt).toMatch(/read-only at its latest target head/);
    expect(prompt).toContain('../.context/<rig>');
  });
});
