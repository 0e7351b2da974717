/**
 * The import rules of docs/architecture.md ("Layers"), checked on every source file. A rule broken on
 * purpose goes into KNOWN_EXCEPTIONS with its reason; an exception that no longer happens fails too, so
 * the list only shrinks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AppType as EmulatorAppType } from '../src/emulator/apps.js';
import type { AppType } from '../src/core/config/profile.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');

interface Import {
  file: string; // relative to the repository, with forward slashes
  target: string; // a repository path (src/…) for relative imports, else the package name
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8');
  const rel = path.relative(root, file).split(path.sep).join('/');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2]) as string;
    const target = spec.startsWith('.')
      ? path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep).join('/').replace(/\.js$/, '')
      : spec.startsWith('node:')
        ? spec
        : spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
    out.push({ file: rel, target });
  }
  return out;
}

const ALL = sourceFiles(src).flatMap(importsOf);

const UI_AND_PLATFORM_LIBS = ['commander', 'chalk', '@inquirer/prompts', 'conf', 'undici', 'open'];

interface Rule {
  name: string;
  applies: (i: Import) => boolean;
}

const RULES: Rule[] = [
  {
    name: 'core never imports the CLI, the platform, the wiring (deps, main), or UI/platform libraries',
    applies: (i) =>
      i.file.startsWith('src/core/') &&
      (i.target.startsWith('src/cli/') ||
        i.target.startsWith('src/platform/') ||
        i.target === 'src/main' ||
        i.target === 'src/deps' ||
        UI_AND_PLATFORM_LIBS.includes(i.target)),
  },
  {
    name: 'platform never imports the CLI or the wiring (it takes seam types from core/ports)',
    applies: (i) => i.file.startsWith('src/platform/') && (i.target.startsWith('src/cli/') || i.target === 'src/main' || i.target === 'src/deps'),
  },
  {
    name: 'the application layer never imports the CLI, main, or UI libraries (it returns results; the CLI renders them)',
    applies: (i) =>
      i.file.startsWith('src/app/') &&
      (i.target.startsWith('src/cli/') || i.target === 'src/main' || ['commander', 'chalk', '@inquirer/prompts'].includes(i.target)),
  },
  {
    name: 'core and platform never import the application layer',
    applies: (i) => /^src\/(core|platform)\//.test(i.file) && i.target.startsWith('src/app/'),
  },
  {
    name: 'only commands import a command (program.ts registers them)',
    applies: (i) => commandOf(i.target) !== undefined && commandOf(i.file) === undefined && i.file !== 'src/cli/program.ts',
  },
  {
    name: 'the emulator never imports sfoauth itself',
    applies: (i) => i.file.startsWith('src/emulator/') && /^src\/(cli|core|platform|main|deps)(\/|$)/.test(i.target),
  },
  {
    name: 'only bin.ts imports main.ts',
    applies: (i) => i.target === 'src/main' && i.file !== 'src/bin.ts',
  },
  {
    name: 'commands never import another command',
    applies: (i) => {
      const a = commandOf(i.file);
      const b = commandOf(i.target);
      return a !== undefined && b !== undefined && a !== b;
    },
  },
];

/** `src/cli/commands/init/run.ts` → "init"; `src/cli/commands/demo-run.ts` → "demo". */
function commandOf(p: string): string | undefined {
  const m = /^src\/cli\/commands\/([^/.]+?)(?:-run)?(?:\/|\.ts$|$)/.exec(p);
  return m?.[1];
}

/** Each with the debt it stands for; the architecture issue removes them. */
const KNOWN_EXCEPTIONS: Record<string, string> = {};

describe('import rules (docs/architecture.md)', () => {
  it('finds the source files and their imports', () => {
    expect(ALL.length).toBeGreaterThan(100);
    expect(ALL.some((i) => i.file === 'src/bin.ts' && i.target === 'src/main')).toBe(true);
  });

  for (const rule of RULES) {
    it(rule.name, () => {
      const broken = ALL.filter(rule.applies)
        .map((i) => `${i.file} -> ${i.target}`)
        .filter((key) => !(key in KNOWN_EXCEPTIONS));
      expect([...new Set(broken)]).toEqual([]);
    });
  }

  it('every known exception still happens (remove the ones that were fixed)', () => {
    const stale = Object.keys(KNOWN_EXCEPTIONS).filter((key) => !ALL.some((i) => `${i.file} -> ${i.target}` === key));
    expect(stale).toEqual([]);
  });

  it('the emulator spells the app types the way the profile does (it has its own copy of the union)', () => {
    expectTypeOf<EmulatorAppType>().toEqualTypeOf<AppType>();
  });

  it('classifies imports the way the rules assume', () => {
    expect(commandOf('src/cli/commands/init/run.ts')).toBe('init');
    expect(commandOf('src/cli/commands/demo-run.ts')).toBe('demo');
    expect(commandOf('src/cli/commands/test/command')).toBe('test');
    expect(commandOf('src/app/test.ts')).toBeUndefined();
    expect(commandOf('src/cli/commands/steps.ts')).toBe('steps');
    expect(commandOf('src/cli/render-steps.ts')).toBeUndefined();
    const rule = RULES.find((r) => r.name.startsWith('core never'));
    expect(rule?.applies({ file: 'src/core/x.ts', target: 'chalk' })).toBe(true);
    expect(rule?.applies({ file: 'src/core/x.ts', target: 'src/core/y' })).toBe(false);
  });
});
