// SPDX-License-Identifier: MIT
// Starting the engine from a compiled WebAssembly.Module: the engine's Worker compiles it once and
// hands it to the second Worker that reads a large CSV's rest (lib/rest.js), which then starts
// without fetching or compiling it again and runs the code the first one has already optimized.

/**
 * The engine's module compiled from `url` as the server streams it, or from its bytes when the
 * server does not send it as application/wasm (as Emscripten's own loader falls back).
 * @param {URL|string} url
 * @returns {Promise<WebAssembly.Module>}
 */
export async function compileEngine(url) {
  try {
    return await WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
  } catch {
    const response = await fetch(url, { credentials: 'same-origin' });
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

/**
 * An engine made by the Emscripten factory `create` on `module`. A module that cannot be
 * instantiated rejects (Emscripten's own promise would never settle).
 * @param {Function} create the factory healthscore.mjs exports
 * @param {WebAssembly.Module} module
 * @returns {Promise<object>} the engine
 */
export function engineOn(create, module) {
  return new Promise((resolve, reject) => {
    create({
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), reject);
        return {}; // the exports come to `receive`
      },
    }).then(resolve, reject);
  });
}
