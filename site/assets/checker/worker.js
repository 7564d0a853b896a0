// Module worker: the only place Python runs. Loads Pyodide and the packed rules, then answers
// {type: "evaluate"} messages with the decision dict as JSON text (DESIGN.md, architecture step 3).
let evaluateJson = null;
let starting = null;

// Filled in by build.py (splice): the pinned lock file's `info`, passed inline with no packages, so start-up
// makes no request for it; pyodide.mjs inlined (one request fewer; unbundled, it is imported); the size of each
// file start-up fetches (the total of the progress messages).
const LOCK_INFO = {};
const BUNDLED = null;
const DOWNLOAD_SIZES = {};

// ---------------------------------------------------------------- downloads: progress, and failing fast
// Every fetch start-up makes (the wasm, the rules archive) is counted as its bytes arrive and reported to
// the page as {type: "bytes", received, total}: the page gives up on a download only when no byte has come
// for a while (a stall), never because a slow one takes long. A fetch that fails (offline, blocked, an HTTP
// error) is reported at once: Pyodide would otherwise wait for it forever.
// What the visitor waits for is the bytes on the wire (the wasm is a quarter of its size brotli'd): each
// download's decoded bytes are scaled by its Content-Length over its decoded size, so `wire` grows as the
// compressed bytes arrive and ends exactly at what was sent; null until every download has answered.
const nativeFetch = self.fetch.bind(self);
let received = 0, lastReport = 0;
const total = Object.values(DOWNLOAD_SIZES).reduce((a, b) => a + b, 0) || null;
const files = new Map();  // name → { size (decoded), sent (Content-Length on the wire), got (decoded bytes so far) }

function wireBytes() {
  if (!total || Object.keys(DOWNLOAD_SIZES).some((name) => !files.has(name))) return null;
  let got = 0, sent = 0;
  for (const file of files.values()) {
    got += Math.min(file.got, file.size) * (file.sent / file.size);
    sent += file.sent;
  }
  return { received: Math.round(got), total: sent };
}

function reportBytes(force) {
  const now = performance.now();
  if (!force && now - lastReport < 100) return;
  lastReport = now;
  postMessage({ type: "bytes", received, total, wire: wireBytes() });
}

function track(url, response) {
  const name = new URL(url, self.location.href).pathname.split("/").pop();
  if (!Object.hasOwn(DOWNLOAD_SIZES, name)) return null;
  const size = DOWNLOAD_SIZES[name];
  const length = Number(response.headers.get("content-length"));
  // Without a length (a host compressing on the fly), the decoded size is the best figure there is.
  const file = { size, sent: length > 0 && response.headers.get("content-encoding") ? length : size, got: 0 };
  files.set(name, file);
  return file;
}

async function count(response, file) {
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (file) file.got += value.byteLength;
      reportBytes(false);
    }
    reportBytes(true);
  } catch (_error) {
    // the original response reports its own failure to whoever reads it
  }
}

self.fetch = async (input, init) => {
  const url = String(input?.url || input);
  let response;
  try {
    response = await nativeFetch(input, init);
  } catch (error) {
    postMessage({ type: "failed", reason: "network", message: `could not download ${url}: ${error?.message || error}` });
    throw error;
  }
  if (!response.ok) {
    postMessage({ type: "failed", reason: "http", message: `${url} answered ${response.status}` });
    throw new Error(`${url} answered ${response.status}`);
  }
  if (response.body) count(response.clone(), track(url, response));  // a copy is counted; the original (with its URL, for V8's code cache) goes on
  return response;
};

// A host that sends the wasm without `application/wasm` (a bare static server, a misconfigured CDN): streaming
// compilation refuses it with a TypeError, and Pyodide would wait forever. Compiled from its bytes instead. (Compiling
// ahead of Pyodide's script, as the bytes arrive, was tried twice and measured slower: benchmarks/README.md.)
const nativeInstantiateStreaming = WebAssembly.instantiateStreaming?.bind(WebAssembly);
if (nativeInstantiateStreaming) {
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    try {
      return await nativeInstantiateStreaming(response, imports);
    } catch (error) {
      if (!(error instanceof TypeError) || !response.url) throw error;  // a refusal to compile would only fail again
      console.warn("[checker] the runtime could not be compiled as it streamed in; compiling it from its bytes:", error);
      return WebAssembly.instantiate(await (await nativeFetch(response.url)).arrayBuffer(), imports);
    }
  };
}

// Compiling WebAssembly can be refused outright (a Content-Security-Policy without 'wasm-unsafe-eval', a
// browser setting); an empty module tells at once, before anything is downloaded.
function wasmAllowed() {
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return true;
  } catch (_error) {
    return false;
  }
}

// Cache Storage, or null: none in an insecure context, and merely looking can throw in a hardened
// browser. The snapshot's checksum needs crypto.subtle as well.
function cacheStorage() {
  try {
    return typeof caches !== "undefined" && caches && self.crypto && crypto.subtle ? caches : null;
  } catch (_error) {
    return null;
  }
}

// ---------------------------------------------------------------- start-up snapshot, for later visits
// Starting Python is most of the first answer's wait (~0.5 s). Pyodide can instead restore its memory
// from a snapshot taken right after start-up. The first visit takes one, before any question is
// answered (so it holds nothing a visitor typed), and keeps it in this browser's Cache Storage; later
// visits start from it. Nothing is sent anywhere. Snapshots are Pyodide's private API (`_makeSnapshot`,
// `_loadSnapshot`): when one fails, Python starts as usual and the page stops using them for this
// build. The page says what to do in `init`: "use" the stored one, "make" one, or leave them "off"
// (checker.js snapshotMode).
const SNAPSHOTS = "warranty-checker-snapshots";
const SNAPSHOT_FORMAT = 2;      // bump when pack() changes (2: a SHA-256 checksum is stored with it)
const SNAPSHOT_IDLE_MS = 1000;  // stored once no question has come for this long, not while answering
const PAGE = 65536;             // most of the 30 MB is untouched zeros: only pages holding data are kept (~12 MB)
const MAX_SNAPSHOT = 1 << 30;   // a larger stored length is damage, not memory to allocate

function snapshotKey(rules, options, boot) {
  // Everything start-up depends on: the archive (its name carries its content hash), the runtime (its
  // path, the version), the other options and the boot code. Anything new gets a new key, and storing
  // it deletes the others; Pyodide itself also refuses a snapshot of another build of its own.
  const setup = JSON.stringify(options, (_name, value) => (typeof value === "function" ? undefined : value));
  return `${rules}?${new URLSearchParams({ snapshot: SNAPSHOT_FORMAT, setup, boot })}`;
}

function pack(bytes) {
  // [length, count, index…] as 32-bit words, then the pages that are not all zeros, in order.
  if (bytes.length % 4) throw new Error("unexpected snapshot length");  // makeSnapshot pads to 16 bytes
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const kept = [];
  for (let page = 0; page * PAGE < bytes.length; page += 1) {
    const end = Math.min((page + 1) * PAGE, bytes.length) / 4;
    for (let i = (page * PAGE) / 4; i < end; i += 1) if (words[i] !== 0) { kept.push(page); break; }
  }
  const head = Uint32Array.from([bytes.length, kept.length, ...kept]);
  return new Blob([head, ...kept.map((page) => bytes.subarray(page * PAGE, (page + 1) * PAGE))]);
}

function unpack(buffer) {
  const damaged = () => new Error("the stored snapshot is damaged");
  const [length, count] = new Uint32Array(buffer, 0, 2);
  if (length > MAX_SNAPSHOT || count > Math.ceil(length / PAGE)) throw damaged();
  const pages = new Uint32Array(buffer, 8, count);
  const bytes = new Uint8Array(length);
  let from = 8 + 4 * count, previous = -1;
  for (const page of pages) {
    if (page <= previous || page * PAGE >= length) throw damaged();
    const size = Math.min(PAGE, length - page * PAGE);
    bytes.set(new Uint8Array(buffer, from, size), page * PAGE);
    from += size;
    previous = page;
  }
  if (from !== buffer.byteLength) throw damaged();
  return bytes;
}

const CHECKSUM = "x-snapshot-sha256";  // a header of the stored response: the SHA-256 of its body

async function sha256(buffer) {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", buffer))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function storedSnapshot(key) {
  try {
    const found = await (await cacheStorage().open(SNAPSHOTS)).match(key);
    return found ? { buffer: await found.arrayBuffer(), checksum: found.headers.get(CHECKSUM) } : null;
  } catch (_error) {
    return null;  // storage turned off, or it failed to read: Python starts as usual
  }
}

// A stored snapshot is used only if its bytes are the ones stored: most damage to memory pages would
// otherwise restore without complaint and give wrong answers later.
async function verified(stored) {
  if (!stored.checksum || stored.checksum !== await sha256(stored.buffer)) throw new Error("the stored snapshot is damaged (checksum mismatch)");
  return stored.buffer;
}

function keepSnapshot(key, pyodide) {
  let bytes;
  try {
    bytes = pyodide.makeMemorySnapshot();
  } catch (error) {
    console.warn("[checker] no start-up snapshot:", error);
    postMessage({ type: "snapshot-failed" });
    return;
  }
  whenIdle(async () => {
    try {
      const body = await pack(bytes).arrayBuffer();
      const cache = await cacheStorage().open(SNAPSHOTS);
      await cache.put(key, new Response(body, { headers: { [CHECKSUM]: await sha256(body) } }));
      for (const request of await cache.keys()) if (request.url !== key) await cache.delete(request);
      postMessage({ type: "snapshot-stored" });
    } catch (_error) {
      postMessage({ type: "snapshot-failed" });  // storage full or turned off: not tried again for this build
    }
  });
}

async function forgetSnapshot(key) {
  try {
    await (await cacheStorage().open(SNAPSHOTS)).delete(key);
  } catch (_error) {
    // nothing to forget
  }
}

// Packing and storing take ~20–50 ms of this thread and more of the browser's: done while no question
// is waiting, so that no answer waits for them. Every answer given pushes the moment back.
let idleTask = null, idleTimer = null;

function whenIdle(task) {
  idleTask = task;
  stillBusy();
}

function stillBusy() {
  if (!idleTask) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    const task = idleTask;
    idleTask = null;
    task();
  }, SNAPSHOT_IDLE_MS);
}

// ---------------------------------------------------------------- start-up
async function start({ runtime, rules, snapshot }) {
  const began = performance.now();
  if (!wasmAllowed()) throw Object.assign(new Error("WebAssembly is not allowed to run here"), { reason: "refused" });
  postMessage({ type: "progress", stage: "runtime" });
  // `rules` is the build's python-<hash>.zip: the standard library modules start-up and the rules need,
  // and the rules themselves, as bytecode compiled by this very Pyodide. It replaces python_stdlib.zip.
  const options = {
    indexURL: runtime,
    stdLibURL: rules,
    lockFileContents: { info: LOCK_INFO, packages: {} },
    packages: [],
    args: ["-S"],  // no site initialisation (site-packages, .pth files): there are no packages, and it costs ~30 ms
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  };
  const boot = "import _warranty_boot\n_warranty_boot.evaluate_json";
  const key = snapshotKey(rules, options, boot);
  const storage = cacheStorage() !== null;
  const saved = snapshot === "use" && storage ? storedSnapshot(key) : null;
  const { loadPyodide } = BUNDLED || await import(new URL("pyodide.mjs", runtime).href);
  // Fetch and compile Pyodide's runtime script while Cache Storage is read: loadPyodide imports this
  // same module (one fetch, one instance), and reports any failure to load it.
  if (saved) import(new URL("pyodide.asm.mjs", runtime).href).catch(() => {});
  const stored = await saved;
  if (stored) {
    try {
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: unpack(await verified(stored)) });
      postMessage({ type: "progress", stage: "rules" });
      evaluateJson = pyodide.runPython(boot);  // already imported: the snapshot was taken after this line
      JSON.parse(evaluateJson("no-such-program", "{}"));  // restored memory must answer (a refusal, as JSON)
      return { ms: performance.now() - began, snapshot: "restored" };
    } catch (error) {
      console.warn("[checker] the stored start-up snapshot could not be used; starting Python instead:", error);
      evaluateJson = null;
      await forgetSnapshot(key);
      postMessage({ type: "snapshot-failed" });
      snapshot = "off";
    }
  }
  const take = snapshot === "make" && storage;
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: take });
  postMessage({ type: "progress", stage: "rules" });
  evaluateJson = pyodide.runPython(boot);
  if (take) keepSnapshot(key, pyodide);  // now, before the first question is answered
  return { ms: performance.now() - began, snapshot: take ? "taken" : "none" };
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "init") {
    starting ||= start(message).then(
      (started) => postMessage({ type: "ready", ...started }),
      (error) => postMessage({ type: "failed", reason: error?.reason || "error", message: String(error?.message || error) }),
    );
    return;
  }
  if (message.type === "evaluate") {
    try {
      await starting;
      if (!evaluateJson) throw new Error("runtime not started");
      const text = evaluateJson(message.program, JSON.stringify(message.answers || {}), message.today || undefined);  // JS null would arrive as jsnull, not None
      // The JSON text as Python wrote it: the page parses it once (cheaper than parse here + structured clone).
      postMessage({ type: "decision", id: message.id, json: text });
      stillBusy();
    } catch (error) {
      postMessage({ type: "error", id: message.id, message: String(error?.message || error) });
    }
  }
};
