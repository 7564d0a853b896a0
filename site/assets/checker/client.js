// The worker client (Pyodide's worker guide: worker, client, page): it starts worker.js, restarts it when it
// dies, keeps the start-up snapshot flag, and turns answers into promises. It knows nothing of forms or cards;
// checker.js (the page part) listens to runtime.listeners and asks evaluate().

// Time limits (tests shorten them through globalThis.warrantyCheckerConfig). Start-up is abandoned on a
// stall (no byte and no step for stallMs; startMs once every byte is in, for compiling and starting
// Python), never for taking long: a slow network still gets there. A
// start-up that fails for the network is tried once more. An answer has answerMs once Python is up; a
// miss (a worker that died silently or hangs) restarts the worker, after each delay of restartDelaysMs in
// turn, then gives up. A card whose answers changed shows "recomputing" after staleMs without a new one.
export const config = Object.assign({ stallMs: 20000, startMs: 60000, answerMs: 5000, staleMs: 400, restartDelaysMs: [500, 1000, 2000, 4000, 8000] },
  globalThis.warrantyCheckerConfig || {});

// ---------------------------------------------------------------- worker client
export const runtime = {
  worker: null, setup: null, ready: null, state: "loading", why: null, started: null, starts: 0, retries: 0, restarts: 0, upSince: 0,
  nextId: 1, pending: new Map(), progress: { received: 0, total: null, wire: null }, listeners: new Set(),
};

function notify(event) { for (const listener of runtime.listeners) listener(event); }

// runtime.ready: settles once a worker is up (or start-up has been given up); a restart after a crash
// makes a new one at once, so that a question asked meanwhile waits for the new worker.
function freshReady() {
  let settle;
  runtime.ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  runtime.ready.catch(() => {});
  runtime.settle = settle;
}

// Why start-up failed, as the card words it: "network" (a download stalled or failed: retry), "refused"
// (this browser will not run WebAssembly), "error" (anything else).
const NETWORK = new Set(["stall", "network", "http"]);
const STABLE_MS = 30000;  // a worker that crashes after this long up was fine until then: no backoff carried over

function startWorker(setup) {
  runtime.state = "loading";
  runtime.setup = setup;
  runtime.starts += 1;
  if (!runtime.settle) freshReady();
  const worker = new Worker(setup.worker, { type: "module" });
  runtime.worker = worker;
  let stall = null;
  let downloaded = false;
  const alive = () => {  // any sign of life from a starting worker (a byte, a step) restarts the stall clock
    clearTimeout(stall);
    // Once every byte is in, what is left is the CPU's work (compiling, starting Python), which sends nothing.
    stall = setTimeout(() => fail("stall"), downloaded ? Math.max(config.stallMs, config.startMs) : config.stallMs);
  };
  alive();
  const fail = (why) => {
    clearTimeout(stall);
    if (runtime.worker !== worker) return;
    const wasReady = runtime.state === "ready";
    if (wasReady && performance.now() - runtime.upSince > STABLE_MS) runtime.restarts = 0;  // it had been fine: the delays start afresh
    worker.terminate();
    runtime.worker = null;
    const pending = [...runtime.pending.values()];
    runtime.pending.clear();
    for (const request of pending) clearTimeout(request.deadline);
    if (wasReady || why === "crash") {
      // It answered before (or crashed while starting, perhaps on an early question): start a fresh one,
      // waiting a little longer each time, until the delays run out.
      if (runtime.restarts < config.restartDelaysMs.length) {
        const delay = config.restartDelaysMs[runtime.restarts];
        runtime.restarts += 1;
        runtime.state = "loading";
        if (!runtime.settle) freshReady();
        for (const { reject } of pending) reject(new Error(why));
        notify({ type: "crashed" });
        setTimeout(() => startWorker(setup), delay);
        return;
      }
    } else if (NETWORK.has(why) && runtime.retries < 1) {
      runtime.retries += 1;  // a download that stalled or failed is tried once more, at once
      runtime.state = "loading";
      for (const { reject } of pending) reject(new Error(why));
      notify({ type: "retrying" });
      startWorker(setup);
      return;
    }
    runtime.state = "unavailable";
    runtime.why = NETWORK.has(why) ? "network" : why === "refused" ? "refused" : "error";
    if (!runtime.settle) freshReady();  // it had been up: questions from now on are refused too
    runtime.settle.reject(new Error(why));
    runtime.settle = null;
    for (const { reject } of pending) reject(new Error(why));
    notify({ type: "unavailable", why: runtime.why });
  };
  runtime.missed = () => fail("answer deadline");
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "bytes") downloaded = message.total !== null && message.received >= message.total;
    if (runtime.state === "loading") alive();
    if (message.type === "bytes") {
      runtime.progress = { received: message.received, total: message.total, wire: message.wire || null };
      notify(message);
    } else if (message.type === "progress") notify(message);
    else if (message.type === "ready") {
      clearTimeout(stall);
      runtime.state = "ready";
      runtime.upSince = performance.now();
      runtime.started = { ms: message.ms, snapshot: message.snapshot };  // "restored", "taken" or "none": for tests and the benchmark
      for (const request of runtime.pending.values()) armDeadline(request);
      runtime.settle.resolve();
      runtime.settle = null;
      notify(message);
    }
    else if (message.type === "failed") fail(message.reason || "error");
    else if (message.type === "snapshot-stored") setSnapshotFlag(setup.rules);
    else if (message.type === "snapshot-failed") setSnapshotFlag(`off ${setup.rules}`);
    else if (message.type === "decision" || message.type === "error") {
      const waiting = runtime.pending.get(message.id);
      runtime.pending.delete(message.id);
      if (!waiting) return;
      clearTimeout(waiting.deadline);
      if (message.type === "error") return waiting.reject(new Error(message.message));
      try {
        const decision = JSON.parse(message.json);
        written.set(decision, message.json);
        waiting.resolve(decision);
      } catch (error) {
        waiting.reject(error);
      }
    }
  };
  worker.onerror = (event) => { event.preventDefault(); fail("crash"); };
  // A restart after a crash does without snapshots.
  worker.postMessage({ type: "init", runtime: setup.runtime, rules: setup.rules, snapshot: runtime.starts > 1 ? "off" : snapshotMode(setup.rules) });
}

// Once Python is up, an answer that does not come in time means the worker is gone or stuck.
function armDeadline(request) {
  clearTimeout(request.deadline);
  request.deadline = setTimeout(() => runtime.missed?.(), config.answerMs);
}

// The visitor's retry (the button on a card that says the checker could not start): start afresh.
export function retry() {
  if (runtime.state !== "unavailable" || !runtime.setup) return;
  runtime.retries = 0;
  runtime.restarts = 0;
  runtime.why = null;
  freshReady();
  notify({ type: "retrying" });
  startWorker(runtime.setup);
}

// The worker for a checker's files ([data-wc] dataset: worker, runtime, rules), started once. The embed page
// calls this first thing, before its form is in place, so that Python's start-up overlaps with that;
// boot() calls it for the other pages.
export function startRuntime(spec) {
  if (runtime.setup || runtime.state === "unavailable") return;  // once: a restart in progress is not a second start
  if (typeof WebAssembly === "undefined") {
    runtime.state = "unavailable";
    return;
  }
  const url = (path) => new URL(path, location.href).href;
  try {
    startWorker({ worker: url(spec.worker), runtime: url(spec.runtime), rules: url(spec.rules) });
  } catch (error) {
    runtime.state = "unavailable";  // no worker could be made (e.g. a blocked origin): boot() says so
    if (runtime.settle) runtime.settle.reject(error);
    runtime.settle = null;
  }
}

// Start-up snapshots (worker.js), per rules archive: "use" the one this browser stored, "make" one, or
// leave them "off" (storage blocked, or one of this build failed once). A localStorage flag remembers
// which, so that a first visit never reads Cache Storage before Python starts.
const SNAPSHOT_FLAG = "warranty-checker-snapshot";  // "<rules URL>" (stored) or "off <rules URL>"

function snapshotMode(rules) {
  try {
    const flag = localStorage.getItem(SNAPSHOT_FLAG);
    return flag === rules ? "use" : flag === `off ${rules}` ? "off" : "make";
  } catch (_error) {
    return "off";  // storage blocked (e.g. a third-party frame): nothing could be kept anyway
  }
}

function setSnapshotFlag(value) {
  try {
    localStorage.setItem(SNAPSHOT_FLAG, value);
  } catch (_error) {
    // as above
  }
}

// Each decision's JSON text as the worker wrote it: a page comparing two answers compares these.
const written = new WeakMap();
export function jsonOf(decision) {
  return written.get(decision) ?? JSON.stringify(decision);
}

export async function evaluate(program, answers, today) {
  if (typeof WebAssembly === "undefined") throw new Error("WebAssembly is not available");
  if (!runtime.setup) throw new Error("the checker has not started");
  if (runtime.state === "unavailable") await runtime.ready;  // rejects, saying why
  // Sent at once, even while Python is still starting: the worker answers as soon as it can, so the
  // first answer does not wait for a "ready" to travel here and a request to travel back.
  if (!runtime.worker) await runtime.ready;  // between a crash and its restart: wait for the new worker
  return new Promise((resolve, reject) => {
    const id = runtime.nextId++;
    const request = { resolve, reject, deadline: null };
    runtime.pending.set(id, request);
    if (runtime.state === "ready") armDeadline(request);
    runtime.worker.postMessage({ type: "evaluate", id, program, answers, today: today || null });
  });
}

// For tests, the benchmark and a progress bar: bytes received / total of the start-up downloads (also sent to
// runtime.listeners as {type: "bytes"} messages).
globalThis.warrantyChecker = {
  evaluate, get state() { return runtime.state; }, get started() { return runtime.started; }, get progress() { return { ...runtime.progress }; },
};
