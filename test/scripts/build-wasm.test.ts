// The committed WebAssembly modules are exactly what scripts/build-wasm.mjs compiles from their .wat sources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

interface WasmBuild {
  WASM_MODULES: Array<{ wat: string; module: string; name: string }>;
  compileWat: (wat: string) => Promise<string>;
}

const ROOT = new URL('../../../', import.meta.url);

describe('scripts/build-wasm.mjs', () => {
  it('every generated module matches its .wat (run npm run build:wasm after editing one)', async () => {
    const build = (await import(new URL('scripts/build-wasm.mjs', ROOT).href)) as WasmBuild;
    assert.ok(build.WASM_MODULES.length >= 2);
    for (const { wat, module, name } of build.WASM_MODULES) {
      const compiled = new URL(`dist/${module.replace(/\.ts$/, '.js')}`, ROOT).href;
      const committed = ((await import(compiled)) as Record<string, unknown>)[name];
      assert.equal(typeof committed, 'string', `${module} exports ${name}`);
      assert.equal(await build.compileWat(wat), committed, `${module} is stale: run npm run build:wasm`);
    }
  });
});
