// The checker's runtime, fetched ahead: pages that lead to a checker (the home page and its program chooser,
// pages that link to one) fetch it into the browser's cache, so that the checker a visitor opens next finds it
// there and does not download it again.
//
// Only once the page's own content has loaded and the browser is idle, one file at a time at low priority,
// and never when the visitor asks to save data (Chromium's "Save-Data" setting, which it also exposes as
// navigator.connection.saveData; other browsers expose nothing, and get the files ahead). The files are the
// ones the checker fetches, at the same URLs: the runtime's are cached for good (content-hashed names),
// worker.js and the checker's modules are revalidated (a 304, no second download).

export function savingData() {
  try {
    return Boolean(navigator.connection?.saveData);
  } catch (_error) {
    return false;
  }
}

// The files the checker's worker fetches at start-up, from a [data-wc]-like dataset (worker, runtime, rules).
export function runtimeFiles(spec) {
  const runtime = new URL(spec.runtime, location.href);
  return [new URL(spec.worker, location.href), new URL("pyodide.asm.mjs", runtime), new URL("pyodide.asm.wasm", runtime), new URL(spec.rules, location.href)]
    .map((url) => url.href);
}

export function fetchAhead(urls) {
  if (savingData()) return;
  const run = async () => {
    for (const url of urls) {
      try {
        const response = await fetch(url, { credentials: "same-origin", priority: "low" });
        await response.arrayBuffer();  // read to the end: only a whole response is kept in the cache
      } catch (_error) {
        return;  // offline, or the visitor left: the checker fetches them itself
      }
    }
  };
  const idle = () => (window.requestIdleCallback ? requestIdleCallback(run, { timeout: 10000 }) : setTimeout(run, 2000));
  if (document.readyState === "complete") idle(); else window.addEventListener("load", idle, { once: true });
}

// A site page (templates/overrides/main.html) names the files on its script element.
const script = document.querySelector("script[data-wc-prefetch]");
if (script) {
  const modules = script.dataset.modules.split(" ").filter(Boolean).map((path) => new URL(path, location.href).href);
  fetchAhead([...modules, ...runtimeFiles(script.dataset)]);
}
