// The Go text/template subset of convoy prompts: fields, if / else if / else, range (with else),
// trim markers, comments; anything else is refused by name.
import { describe, expect, it } from 'vitest';
import { renderGoTemplate } from '../../src/formulas/index.js';

describe('renderGoTemplate', () => {
  const data = { name: 'x', leg: { id: 'a', focus: 'speed' }, files: ['f1', 'f2'], none: [], n: 0 };

  it('renders fields, nested fields, root fields inside range, and trims', () => {
    expect(renderGoTemplate('{{.name}}/{{.leg.focus}}/{{.missing}}.', data)).toBe('x/speed/.');
    expect(renderGoTemplate('{{range .files -}}\n- {{.}} of {{$.name}}\n{{end -}}\ndone', data)).toBe(
      '- f1 of x\n- f2 of x\ndone',
    );
    expect(renderGoTemplate('a  {{- /* note */ -}}  b', data)).toBe('ab');
  });

  it('takes the first true branch of if / else if / else, and range else when empty', () => {
    const t = '{{if .n}}n{{else if .leg}}leg {{.leg.id}}{{else}}none{{end}}';
    expect(renderGoTemplate(t, data)).toBe('leg a');
    expect(renderGoTemplate(t, { n: 1 })).toBe('n');
    expect(renderGoTemplate(t, {})).toBe('none');
    expect(renderGoTemplate('{{range .none}}x{{else}}empty{{end}}', data)).toBe('empty');
  });

  it('refuses what it does not implement, and an unclosed block', () => {
    expect(() => renderGoTemplate('{{printf "%d" .n}}', data, 'p')).toThrow(
      'p: {{printf "%d" .n}} at offset 0: not supported',
    );
    expect(() => renderGoTemplate('{{if .n}}x', data)).toThrow('no {{end}}');
  });
});
