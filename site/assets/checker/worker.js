// Module worker: the only place Python runs. Loads Pyodide and the packed rules, then answers
// {type: "evaluate"} messages with the decision dict as JSON text (DESIGN.md, architecture step 3).
let evaluateJson = null;
let starting = null;

// The pinned lock file's `info` (build.py checks it matches node_modules/pyodide): passed inline, no
// packages, so start-up makes no request for it.
const LOCK_INFO = { abi_version: "2026_0", arch: "wasm32", platform: "emscripten_5_0_3", python: "3.14.2" };

// build.py replaces this line with pyodide.mjs inlined (one request fewer); unbundled, it is imported.
const BUNDLED = null;

async function start({ runtime, rules }) {
  const began = performance.now();
  postMessage({ type: "progress", stage: "runtime" });
  const { loadPyodide } = BUNDLED || await import(new URL("pyodide.mjs", runtime).href);
  // `rules` is the build's python-<hash>.zip: the standard library modules start-up and the rules need,
  // and the rules themselves, as bytecode compiled by this very Pyodide. It replaces python_stdlib.zip.
  const pyodide = await loadPyodide({
    indexURL: runtime,
    stdLibURL: rules,
    lockFileContents: { info: LOCK_INFO, packages: {} },
    packages: [],
    args: ["-S"],  // no site initialisation (site-packages, .pth files): there are no packages, and it costs ~30 ms
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  });
  postMessage({ type: "progress", stage: "rules" });
  evaluateJson = pyodide.runPython("import _warranty_boot\n_warranty_boot.evaluate_json");
  return performance.now() - began;
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "init") {
    if (!starting) {
      starting = start(message).then(
        (ms) => postMessage({ type: "ready", ms }),
        (error) => postMessage({ type: "failed", message: String(error && error.message || error) }),
      );
    }
    return;
  }
  if (message.type === "evaluate") {
    try {
      await starting;
      if (!evaluateJson) throw new Error("runtime not started");
      const text = evaluateJson(message.program, JSON.stringify(message.answers || {}), message.today || undefined);  // JS null would arrive as jsnull, not None
      // The JSON text as Python wrote it: the page parses it once (cheaper than parse here + structured clone).
      postMessage({ type: "decision", id: message.id, json: text });
    } catch (error) {
      postMessage({ type: "error", id: message.id, message: String(error && error.message || error) });
    }
  }
};
