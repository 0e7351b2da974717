import { describe, it, expect } from 'vitest';
import { Chalk } from 'chalk';
import { stripVTControlCharacters } from 'node:util';
import { renderSetupGuide } from './render-steps.js';
import { buildSetupGuide, type SetupGuide } from '../core/salesforce/setup-steps.js';

const plain = new Chalk({ level: 0 });
const coloured = new Chalk({ level: 1 });

const small: SetupGuide = {
  title: 'Create an app',
  intro: ['Warning: this path is legacy.', 'For a production org.'],
  sections: [
    {
      title: 'OAuth settings',
      steps: [
        { text: 'Check "Enable OAuth Settings".' },
        { text: '"Callback URL": enter each of these on its own line:', values: ['http://localhost:1717/OauthRedirect', 'https://api.nango.dev/oauth/callback'], note: 'Paste them unchanged.' },
      ],
    },
    { title: 'Save', steps: [{ text: 'Click "Save".  ' }] },
  ],
  after: ['Then run: sfoauth init --env production', 'Using Nango? Pick "salesforce".'],
};

const realGuides = [
  buildSetupGuide({ env: 'production', appType: 'external-client-app', callbackUrls: ['http://localhost:1717/OauthRedirect', 'https://api.nango.dev/oauth/callback'], scopes: ['api', 'refresh_token'] }),
  buildSetupGuide({ env: 'sandbox', appType: 'connected-app', callbackUrls: ['http://localhost:1717/OauthRedirect'], scopes: ['api'] }),
  buildSetupGuide({ env: 'sandbox', appType: 'connected-app', callbackUrls: ['http://localhost:1717/OauthRedirect'], scopes: ['api'], migrate: true }),
];

describe('renderSetupGuide', () => {
  it('numbers sections and steps, and puts each value on its own indented line', () => {
    expect(renderSetupGuide(small, plain)).toEqual([
      'Create an app',
      '',
      'Warning: this path is legacy.',
      'For a production org.',
      '',
      '1. OAuth settings',
      '   1.1  Check "Enable OAuth Settings".',
      '   1.2  "Callback URL": enter each of these on its own line:',
      '           http://localhost:1717/OauthRedirect',
      '           https://api.nango.dev/oauth/callback',
      '        Paste them unchanged.',
      '',
      '2. Save',
      '   2.1  Click "Save".',
      '',
      'Then run: sfoauth init --env production',
      'Using Nango? Pick "salesforce".',
    ]);
  });

  it('aligns step text when a section reaches two-digit step numbers', () => {
    const many: SetupGuide = { title: 't', intro: [], sections: [{ title: 's', steps: Array.from({ length: 10 }, (_, i) => ({ text: `step ${i + 1}`, values: ['v'] })) }], after: [] };
    const lines = renderSetupGuide(many, plain);
    expect(lines).toContain('   1.1   step 1');
    expect(lines).toContain('   1.10  step 10');
    expect(lines.filter((l) => l.trim() === 'v').every((l) => l === '            v')).toBe(true);
  });

  it('leaves no trailing whitespace and keeps every value copyable on a line of its own', () => {
    for (const guide of realGuides) {
      const lines = renderSetupGuide(guide, plain);
      expect(lines.filter((l) => /\s$/.test(l))).toEqual([]);
      const trimmed = lines.map((l) => l.trim());
      for (const value of guide.sections.flatMap((s) => s.steps.flatMap((st) => st.values ?? []))) {
        expect(trimmed).toContain(value);
      }
    }
  });

  it('colours values, dims notes, marks warnings and the command, and says the same thing without colour', () => {
    const lines = renderSetupGuide(small, coloured);
    expect(lines).toContain(`           ${coloured.cyan('https://api.nango.dev/oauth/callback')}`);
    expect(lines).toContain(`        ${coloured.dim('Paste them unchanged.')}`);
    expect(lines.find((l) => l.includes('legacy'))).toContain(coloured.yellow.bold('Warning:'));
    expect(lines.find((l) => l.includes('sfoauth init'))).toContain(coloured.cyan('sfoauth init --env production'));
    expect(lines.find((l) => l.includes('Enable OAuth'))).toContain(`"${coloured.bold('Enable OAuth Settings')}"`);
    for (const guide of [small, ...realGuides]) {
      expect(renderSetupGuide(guide, coloured).map((l) => stripVTControlCharacters(l))).toEqual(renderSetupGuide(guide, plain));
    }
  });

  it('writes no ANSI codes with a level-0 chalk', () => {
    for (const guide of realGuides) {
      expect(renderSetupGuide(guide, plain).join('\n')).not.toMatch(/\u001b\[/);
    }
  });
});

describe('renderSetupGuide with a terminal width', () => {
  it('wraps steps and notes under their text, never a value or the command to run', () => {
    const guide = realGuides[0]!;
    const wrapped = renderSetupGuide(guide, plain, 60);
    const values = guide.sections.flatMap((s) => s.steps.flatMap((st) => st.values ?? []));
    for (const value of values) expect(wrapped.some((l) => l.trim() === value.trim())).toBe(true);
    for (const line of wrapped) {
      const isValue = values.some((v) => line.trim() === v.trim());
      if (!isValue && !line.startsWith('Then run:') && !/\S{40,}/.test(line)) expect(line.length, line).toBeLessThanOrEqual(60);
    }
    // A wrapped step continues under its text (past "   1.1  ").
    const at = wrapped.findIndex((l) => /^ {3}\d\.\d+ {2}/.test(l) && wrapped[wrapped.indexOf(l) + 1]?.startsWith('        ') === true);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(renderSetupGuide(guide, plain, 60).length).toBeGreaterThan(renderSetupGuide(guide, plain).length);
  });

  it('without a width (not a terminal) nothing changes', () => {
    for (const guide of realGuides) expect(renderSetupGuide(guide, plain, undefined)).toEqual(renderSetupGuide(guide, plain));
  });
});
