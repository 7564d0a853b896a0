// Run by tests/test_python_archive.py under Node: the pinned Pyodide started as the worker starts it (only the
// given stdlib zip, an inline lock file, no packages), then what the checker and Pyodide's own API rely on.
// Prints one JSON object: what each step gave, and sys.modules after start-up and at the end.
"use strict";
const fs = require("fs");
const [pkg, zip, inputPath] = process.argv.slice(2);
const { loadPyodide } = require(pkg + "/pyodide.js");

const MODULES = `
import json, sys
json.dumps({name: [type(m).__name__, getattr(getattr(m, "__spec__", None), "origin", None)] for name, m in list(sys.modules.items())})
`;

(async () => {
  const input = JSON.parse(fs.readFileSync(inputPath, "utf8"));
  const info = JSON.parse(fs.readFileSync(pkg + "/pyodide-lock.json", "utf8")).info;
  const py = await loadPyodide({ indexURL: pkg + "/", stdLibURL: zip, lockFileContents: { info, packages: {} }, packages: [], args: ["-S"] });
  const out = { startup: JSON.parse(py.runPython(MODULES)) };

  const evaluate = py.runPython("import _warranty_boot\n_warranty_boot.evaluate_json");
  out.scenarios = input.cases.map(([program, answers, today]) => JSON.parse(evaluate(program, JSON.stringify(answers), today)));
  out.refusals = input.refusals.map(([program, text, today]) => evaluate(program, text, today));
  out.answered = JSON.parse(py.runPython(MODULES));  // what the checker's own work loaded

  // JS -> Python: nested objects and arrays become dicts and lists.
  const repr = py.runPython("repr");
  out.toPy = repr(py.toPy(input.nested));
  // Python -> JS: dicts, lists and tuples become objects and arrays.
  const made = py.runPython("{'plan': 'line-byod', 'fees': [4000, {'tax': (400, 0.1)}], 'ok': True, 'note': '保証'}");
  out.toJs = made.toJs({ dict_converter: Object.fromEntries });
  made.destroy();
  // A JS object proxied into Python: attributes, nested arrays, a method, typeof on the Python side.
  py.globals.set("shop", { name: "desk", count: 3, inner: { hours: [10, 19] }, greet: (who) => `hello ${who}` });
  out.proxied = py.runPython("(type(shop).__name__, shop.name, shop.count + 1, shop.inner.hours[1], shop.greet('py'))").toJs();
  // A JS function called from Python, with a JS object as its result.
  py.globals.set("jsTotal", (fee, tax) => ({ total: fee + tax, parts: [fee, tax] }));
  out.jsCall = py.runPython("r = jsTotal(4000, 400)\n[r.total, list(r.parts)]").toJs();
  // A Python function called from JS, positionally and with keywords.
  const pyTotal = py.runPython("def total(fee, tax=0, *, cap=None):\n    t = fee + tax\n    return min(t, cap) if cap else t\ntotal");
  out.pyCall = [pyTotal(4000, 400), pyTotal.callKwargs(4000, { tax: 400, cap: 4200 })];
  pyTotal.destroy();
  // A Python exception reaches JS as an error carrying its type, message and traceback.
  const caught = (run) => {
    try {
      run();
    } catch (error) {
      return { name: error.constructor.name, type: error.type, message: error.message };
    }
    return null;
  };
  out.runPythonError = caught(() => py.runPython("def check(plan):\n    raise ValueError(f'no such plan: {plan}')\n\ncheck('gold')"));
  const failing = py.runPython("def failing(x):\n    return {}[x]\nfailing");
  out.callError = caught(() => failing("fee"));
  failing.destroy();
  // A JS error raised inside Python is a JsException that Python can catch.
  py.globals.set("jsThrow", () => {
    throw new RangeError("out of range");
  });
  out.jsError = py.runPython("try:\n    jsThrow()\nexcept Exception as e:\n    r = (type(e).__name__, str(e))\nr").toJs();

  out.end = JSON.parse(py.runPython(MODULES));
  // After the record: a mistyped keyword's SyntaxError, which traceback would word with difflib (left out).
  out.syntaxError = caught(() => py.runPython("plan = 'gold'\nwhille plan:\n    pass"));
  out.typingDoc = py.runPython("import typing\nrepr(typing.__doc__)");  // after the record: typing is loaded at start-up anyway
  process.stdout.write(JSON.stringify(out));
})().catch((error) => {
  console.error(String((error && error.stack) || error));
  process.exit(1);
});
