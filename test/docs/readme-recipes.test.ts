import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { REPO_ROOT, runCliProcess } from '../helpers/cli.js';

interface Block {
  lang: string;
  text: string;
}

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const recipes = readme.slice(readme.indexOf('## Recipes'));

function fencedBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1] ?? '',
    text: m[2] ?? '',
  }));
}

/** Every `copernica-sync <command> [--flags]` a recipe runs, from shell lines and a Dockerfile ENTRYPOINT. */
function invocations(text: string): string[][] {
  const found: string[][] = [];
  for (const match of text.matchAll(/copernica-sync ([a-z]+)([^\n|&;]*)/g)) {
    const args = (match[2] ?? '').trim().split(/\s+/).filter(Boolean);
    found.push([match[1] ?? '', ...args]);
  }
  for (const match of text.matchAll(/ENTRYPOINT (\[.*\])/g)) {
    const argv = JSON.parse(match[1] ?? '[]') as string[];
    const main = argv.findIndex((a) => a.endsWith('dist/src/bundle/main.js'));
    if (main >= 0) found.push(argv.slice(main + 1));
  }
  return found;
}

describe('README recipes', () => {
  const blocks = fencedBlocks(recipes);

  it('has the CI, server and container recipes', () => {
    assert.ok(blocks.filter((b) => b.lang === 'yaml').length >= 3);
    assert.ok(blocks.some((b) => b.lang === 'ini' && b.text.includes('[Service]')));
    assert.ok(blocks.some((b) => b.lang === 'dockerfile'));
  });

  it('every YAML recipe parses without errors or warnings', () => {
    for (const block of blocks.filter((b) => b.lang === 'yaml')) {
      const doc = parseDocument(block.text, { uniqueKeys: true });
      assert.deepEqual(doc.errors, [], block.text.slice(0, 80));
      assert.deepEqual(doc.warnings, [], block.text.slice(0, 80));
      assert.equal(typeof doc.toJS(), 'object');
    }
  });

  it('the container recipe starts the bin the build produces', () => {
    const docker = blocks.find((b) => b.lang === 'dockerfile')?.text ?? '';
    assert.match(docker, /dist\/src\/bundle\/main\.js/);
    assert.ok(existsSync(join(REPO_ROOT, 'dist', 'src', 'bundle', 'main.js')));
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    assert.equal(pkg.bin['copernica-sync'], 'dist/src/bundle/main.js');
  });

  it('every command and option a recipe uses exists', async () => {
    const all = blocks.flatMap((b) => invocations(b.text));
    assert.ok(all.length >= 8, `found ${all.length} invocations`);
    const byCommand = new Map<string, Set<string>>();
    for (const [command, ...args] of all) {
      const flags = byCommand.get(command ?? '') ?? new Set<string>();
      for (const a of args) if (a.startsWith('--')) flags.add(a.split('=')[0] ?? a);
      byCommand.set(command ?? '', flags);
    }
    for (const [command, flags] of byCommand) {
      const help = await runCliProcess([command, '--help']);
      assert.equal(help.exitCode, 0, `${command}: ${help.stderr}`);
      for (const flag of flags) assert.ok(help.stdout.includes(flag), `${command} has no ${flag}`);
    }
  });
});
