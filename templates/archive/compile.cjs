// Runs under Node with the pinned pyodide package (build.py's compile_python): load it with its stdlib as
// edited by pyodide_edits.toml, run the checker's start-up and every scenario, record the modules that came
// from the stdlib zip, then compile those (and the rules) in Pyodide with compiler.py.
"use strict";
const fs = require("node:fs");
const [packageDir, inputPath, outputPath] = process.argv.slice(2);
const { loadPyodide } = require(`${packageDir}/pyodide.js`);
(async () => {
  const input = JSON.parse(fs.readFileSync(inputPath, "utf8"));
  const py = await loadPyodide({ indexURL: `${packageDir}/`, stdLibURL: input.stdlib_zip, packages: [], args: ["-S"], stdout: () => {}, stderr: () => {} });
  for (const [name, text] of Object.entries(input.rules)) {
    const path = `/home/pyodide/app/${name}`;
    py.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    py.FS.writeFile(path, text);
  }
  py.runPython("import sys\nsys.path.insert(0, '/home/pyodide/app')\nimport rules");
  const evaluateJson = py.runPython("rules.evaluate_json");
  for (const [program, answers, today] of input.cases) JSON.parse(evaluateJson(program, JSON.stringify(answers), today));
  JSON.parse(evaluateJson("no-such-program", "{}"));
  JSON.parse(evaluateJson("ismartphones", "[1, 2]"));
  try {
    py.runPython("raise ValueError('a traceback is formatted')");
  } catch (_error) {
    /* expected */
  }
  const traced = py.runPython(
    "import json, sys\njson.dumps(sorted([k, getattr(getattr(m, '__spec__', None), 'origin', None) or ''] for k, m in list(sys.modules.items())))",
  );
  py.runPython(input.compiler);
  py.globals.get("main")(JSON.stringify({ ...input, traced: JSON.parse(traced) }));
  fs.writeFileSync(outputPath, py.FS.readFile("/tmp/out.zip"));
  fs.writeFileSync(`${outputPath}.modules.json`, py.FS.readFile("/tmp/modules.json"));
})().catch((error) => {
  console.error(String((error?.stack) || error));
  process.exit(1);
});
