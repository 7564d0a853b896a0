// Embed page boot (/embed/<program>/?lang=en|ja, shown in an iframe by /embed.js): choose the
// language, put that checker in place, tell the parent our height, then start the checker.
import { boot, startRuntime } from "./checker.js";

const HEIGHT = "warranty-checker:height", HELLO = "warranty-checker:hello", VIEW = "warranty-checker:view";

// ---------------------------------------------------------------- Python first
// The worker starts before anything else: Python's start-up then overlaps with putting the form in place
// (both languages name the same files). In embed.js's invisible frame (?ahead), the runtime's files are only
// fetched, into the cache this site's frames have on that FAQ page, and nothing else happens.
const spec = document.querySelector("template[data-lang]").content.querySelector("[data-wc]").dataset;
const ahead = new URLSearchParams(location.search).has("ahead");
if (ahead) {
  const { fetchAhead, runtimeFiles } = await import("./prefetch.js");
  fetchAhead(runtimeFiles(spec));
} else {
  startRuntime(spec);
}

// ---------------------------------------------------------------- height, to the parent only
// The parent (embed.js) says hello first; we answer only window.parent, and only at the origin
// that hello came from, so no other page ever receives anything from us.
let parentOrigin = null, embedId = null, lastSent = 0;

function height() {
  return Math.ceil(document.documentElement.getBoundingClientRect().height);
}

function sendHeight() {
  if (!parentOrigin) return;
  const now = height();
  if (now === lastSent) return;
  lastSent = now;
  window.parent.postMessage({ type: HEIGHT, height: now, id: embedId }, parentOrigin);
}

if (window.parent !== window && !ahead) {
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (event.source === window.parent && parentOrigin && event.origin === parentOrigin && data && data.type === VIEW && data.id === embedId) {
      // Where the host page's viewport ends, in our pixels: the status line sticks there (checker.css), not at
      // the bottom of this frame, which is as tall as its content and may reach far below the host's screen.
      const hidden = Math.max(0, height() - Number(data.bottom));
      if (Number.isFinite(hidden)) document.documentElement.style.setProperty("--wc-hidden-below", `${hidden}px`);
      return;
    }
    if (event.source !== window.parent || !data || data.type !== HELLO || typeof data.id !== "string") return;
    if (event.origin === "null" || (parentOrigin && parentOrigin !== event.origin)) return;
    parentOrigin = event.origin;
    embedId = data.id;
    lastSent = 0;
    document.documentElement.classList.add("wc-embedded");  // the parent sizes us: no inner scrollbar
    sendHeight();
  });
  // Runs once per rendered frame at most. (Browsers pause rendering of a cross-origin frame that is
  // scrolled out of view; it catches up as soon as the reader scrolls to it.)
  new ResizeObserver(sendHeight).observe(document.documentElement);
}

// ---------------------------------------------------------------- links leave the frame
// Terms and interpretation links open in a new tab rather than inside the small frame.
function retarget(root) {
  for (const link of root.querySelectorAll("a[href]")) {
    if (link.getAttribute("href").startsWith("#") || link.hasAttribute("data-embed-lang")) continue;
    link.target = "_blank";
    link.rel = "noopener";
  }
}

const main = document.querySelector("#embed");
new MutationObserver(() => retarget(main)).observe(main, { childList: true, subtree: true });

// ---------------------------------------------------------------- the checker
const lang = new URLSearchParams(location.search).get("lang") === "ja" ? "ja" : "en";
document.documentElement.lang = lang;
// Light or dark as the visitor's system asks, named as Material names it on the site's pages (checker.css).
const dark = window.matchMedia("(prefers-color-scheme: dark)");
const scheme = () => { document.documentElement.dataset.mdColorScheme = dark.matches ? "slate" : "default"; };
scheme();
dark.addEventListener("change", scheme);
// Yield before putting the form in place: the worker's start-up needs this thread for a moment
// (handing over its script and the init message), and laying out the form is the page's longest task
// (with its Japanese glyphs). In separate tasks neither waits for the other, and no task runs over
// 50 ms (A/B, 14 cold loads each: main-thread blocking 44–47 → 0 ms; first answer unchanged).
if (!ahead) {
  await new Promise((resolve) => setTimeout(resolve, 0));
  const template = document.querySelector(`template[data-lang="${lang}"]`);
  main.replaceChildren(template.content.cloneNode(true));
  retarget(main);
  // The other language keeps the answers: they live in this page's fragment (checker.js keeps it up to date).
  main.querySelector("[data-embed-lang]").addEventListener("click", (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set("lang", event.currentTarget.dataset.embedLang);
    location.replace(url.href);
  });
  boot();
}
