// Module worker: the only place Python runs. Loads Pyodide and the packed rules, then answers
// {type: "evaluate"} messages with the decision dict (DESIGN.md, architecture step 3).
let evaluateJson = null;
let starting = null;

async function start({ runtime, rules }) {
  const began = performance.now();
  postMessage({ type: "progress", stage: "runtime" });
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  const pyodide = await loadPyodide({
    indexURL: runtime,
    packages: [],
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  });
  postMessage({ type: "progress", stage: "rules" });
  const response = await fetch(rules);
  if (!response.ok) throw new Error(`rules archive: HTTP ${response.status}`);
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: "/home/pyodide/app" });
  pyodide.runPython("import sys\nsys.path.insert(0, '/home/pyodide/app')\nimport rules");
  evaluateJson = pyodide.runPython("rules.evaluate_json");
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
      postMessage({ type: "decision", id: message.id, decision: JSON.parse(text) });
    } catch (error) {
      postMessage({ type: "error", id: message.id, message: String(error && error.message || error) });
    }
  }
};
