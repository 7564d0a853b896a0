// <warranty-checker program="line-byod" lang="ja" os="android"></warranty-checker>
//
// The one-line embed for FAQ pages on any site (DESIGN.md, "Embed"). Load it as a module from the
// site that hosts the checker; it defines the element, which shows a light placeholder (program
// title + button) in its shadow DOM and, when scrolled into view or clicked, an iframe to
// <this script's folder>/embed/<program>/?lang=xx#field=value… sized to its content.
// Answers stay inside the iframe (another origin): the host page only learns the frame's height.
// No third-party code, no request anywhere but this script's own site.

const BASE = new URL(".", import.meta.url);          // where the site lives (may be a sub-folder)
const ORIGIN = BASE.origin;                          // the only origin whose messages we accept
const HEIGHT = "warranty-checker:height", HELLO = "warranty-checker:hello", VIEW = "warranty-checker:view";
const MAX_HEIGHT = 20000;                            // a sane ceiling, whatever a frame claims
// A placeholder this near the viewport gets the checker's runtime fetched ahead, when the page is idle, by an
// invisible frame of the checker's site (/embed/<program>/?ahead): browsers keep a cache per embedding site, so
// only a frame of ours fills the one the checker's frame will read. Once per page, never to save data.
const AHEAD_MARGIN = "1500px 0px";
let fetchedAhead = false;

// As prefetch.js's (this script runs on other sites, where importing a second file of ours would need CORS on it too).
function savingData() {
  try {
    return Boolean(navigator.connection?.saveData);
  } catch (_error) {
    return false;
  }
}

// build.py (render_embed_pages) writes every program's title and field names here.
const PROGRAMS = {};  // build.py: each program's titles and question names

const WORDS = {};  // build.py: the embed's words from rules/data/words.toml (one table for every interface)

// A word with {placeholders} (rules/data/words.toml `args`), filled by name.
function fill(word, values) {
  return word.text.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

const STYLE = `
  :host { display: block; }
  :host([hidden]) { display: none; }
  .box { all: initial; display: block; box-sizing: border-box; color: #1a1a1a; background: #fff;
         font-family: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif;
         font-size: 16px; line-height: 1.5; text-align: start; }
  .placeholder { border: 1px solid #c8d3d3; border-radius: 8px; padding: 16px; }
  .label { display: block; margin: 0; font-size: 13px; color: #4a5a5a; letter-spacing: .02em; }
  .title { display: block; margin: 2px 0 8px; font-size: 18px; font-weight: 600; color: #1a1a1a; }
  .note { display: block; margin: 0 0 12px; font-size: 14px; color: #4a5a5a; }
  button { all: initial; display: inline-block; box-sizing: border-box; cursor: pointer; min-height: 44px; padding: 10px 18px;
           border-radius: 6px; background: #00796b; color: #fff; font: 600 16px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", sans-serif; }
  button:hover { background: #00695c; }
  button:focus-visible { outline: 3px solid #ff7043; outline-offset: 2px; }
  .error { border-color: #c62828; color: #8e0000; }
  .error p { margin: 0 0 6px; font-size: 15px; }
  .error code { font-family: ui-monospace, monospace; }
  iframe { display: block; width: 100%; border: 0; margin: 0; padding: 0; background: #fff; color-scheme: light; }
  iframe[hidden] { display: none; }
`;

let counter = 0;

// The styles as a constructed stylesheet, adopted by each element's shadow root: a host page's own
// Content-Security-Policy (`style-src` without 'unsafe-inline') blocks a <style> element, not this.
// Browsers without constructable stylesheets get the <style> element instead.
let sheet = null;
function styled(root) {
  if (!sheet && "adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  if (sheet) {
    root.adoptedStyleSheets = [sheet];
    return [];
  }
  const style = document.createElement("style");
  style.textContent = STYLE;
  return [style];
}

function langOf(element) {
  const own = (element.getAttribute("lang") || "").toLowerCase();
  if (own === "ja" || own === "en") return own;
  const inherited = (element.closest("[lang]")?.getAttribute("lang") || document.documentElement.lang || "").toLowerCase();
  return inherited.startsWith("ja") ? "ja" : "en";
}

function node(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  el.append(...children);
  return el;
}

class WarrantyChecker extends HTMLElement {
  static get observedAttributes() { return ["program", "lang"]; }

  constructor() {
    super();
    this.id_ = `wc-${++counter}-${Math.random().toString(36).slice(2, 10)}`;
    this.root = this.attachShadow({ mode: "open" });
    this.frame = null;
    this.observer = null;
    this.onMessage = this.onMessage.bind(this);
    this.onScroll = this.onScroll.bind(this);
    this.viewPending = false;
  }

  connectedCallback() {
    window.addEventListener("message", this.onMessage);
    window.addEventListener("scroll", this.onScroll, { passive: true });
    window.addEventListener("resize", this.onScroll, { passive: true });
    this.render();
  }

  disconnectedCallback() {
    window.removeEventListener("message", this.onMessage);
    window.removeEventListener("scroll", this.onScroll);
    window.removeEventListener("resize", this.onScroll);
    this.stopWatching();
  }

  // The frame is as tall as its content, so nothing inside it scrolls: tell it where this page's viewport
  // ends (in the frame's own pixels), so its status line can stay in view beside the question being answered.
  // It learns only that one number, once per rendered frame at most; the host learns nothing.
  onScroll() {
    if (this.viewPending || !this.frame || !this.heard) return;
    this.viewPending = true;
    requestAnimationFrame(() => {
      this.viewPending = false;
      if (!this.frame?.contentWindow) return;
      const rect = this.frame.getBoundingClientRect();
      const bottom = Math.max(0, Math.min(rect.height, window.innerHeight - rect.top));
      this.frame.contentWindow.postMessage({ type: VIEW, id: this.id_, bottom: Math.round(bottom) }, ORIGIN);
    });
  }

  attributeChangedCallback(_name, before, after) {
    if (before !== after && this.isConnected) this.render();
  }

  get program() { return (this.getAttribute("program") || "").trim(); }

  /** Answers named like the program's questions, from the element's other attributes. */
  prefill() {
    const fields = new Set(PROGRAMS[this.program].fields);
    const answers = new URLSearchParams();
    for (const { name, value } of this.attributes) if (fields.has(name)) answers.append(name, value);
    return answers.toString();
  }

  render() {
    this.stopWatching();
    this.frame = null;
    const program = this.program, lang = langOf(this), t = WORDS[lang];
    const style = styled(this.root);
    if (!Object.hasOwn(PROGRAMS, program)) {
      const known = Object.keys(PROGRAMS).join(", ");
      const box = node("div", { class: "box placeholder error", role: "alert", "data-testid": "embed-error" },
        ...Object.keys(WORDS).map((code) => node("p", { lang: code }, fill(WORDS[code].unknown_program, { program, known }))));
      this.root.replaceChildren(...style, box);
      console.warn(`<warranty-checker>: unknown program ${JSON.stringify(program)}; use one of ${known}`);
      return;
    }
    const title = PROGRAMS[program].title[lang];
    const button = node("button", { type: "button", "data-testid": "embed-open" }, t.check);
    button.addEventListener("click", () => this.open(true));
    const box = node("div", { class: "box placeholder", lang, "data-testid": "embed-placeholder" },
      node("span", { class: "label" }, t.site_name), node("span", { class: "title" }, title), node("span", { class: "note" }, t.private), button);
    this.root.replaceChildren(...style, box);
    // The iframe (and Python with it) loads only when the reader comes near the checker.
    if ("IntersectionObserver" in window) {
      this.observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.open(false);
      }, { rootMargin: "200px" });
      this.observer.observe(this);
      if (!fetchedAhead && location.origin !== ORIGIN) {  // the site's own pages fetch it ahead themselves (prefetch.js)
        this.aheadObserver = new IntersectionObserver((entries) => {
          if (entries.some((entry) => entry.isIntersecting)) this.fetchAhead();
        }, { rootMargin: AHEAD_MARGIN });
        this.aheadObserver.observe(this);
      }
    } else {
      this.open(false);
    }
  }

  stopWatching() {
    if (this.observer) this.observer.disconnect();
    if (this.aheadObserver) this.aheadObserver.disconnect();
    this.observer = this.aheadObserver = null;
    clearTimeout(this.retry);
  }

  fetchAhead() {
    if (this.aheadObserver) this.aheadObserver.disconnect();
    this.aheadObserver = null;
    const idle = window.requestIdleCallback || ((task) => setTimeout(task, 1000));
    idle(() => {
      if (fetchedAhead || this.frame || !this.isConnected || savingData()) return;
      fetchedAhead = true;
      const src = new URL(`embed/${encodeURIComponent(this.program)}/`, BASE);
      src.search = "ahead";
      // Beside the placeholder's box, which open() replaces: the frame is never moved, so its fetches go on.
      this.root.append(node("iframe", {
        src: src.href, hidden: "", "aria-hidden": "true", tabindex: "-1", title: "", sandbox: "allow-scripts allow-same-origin",
        referrerpolicy: "no-referrer", "data-testid": "embed-ahead",
      }));
    }, { timeout: 5000 });
  }

  open(focus) {
    if (this.frame) return;
    this.stopWatching();
    const program = this.program, lang = langOf(this);
    const src = new URL(`embed/${encodeURIComponent(program)}/`, BASE);
    src.search = `lang=${lang}`;
    const answers = this.prefill();
    if (answers) src.hash = answers;                 // the fragment never reaches a server log
    const frame = node("iframe", {
      src: src.href, title: fill(WORDS[lang].frame, { title: PROGRAMS[program].title[lang] }), loading: "lazy", lang,
      sandbox: "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads",
      allow: "clipboard-write", referrerpolicy: "no-referrer", "data-testid": "embed-frame",
    });
    frame.style.height = "480px";
    let tries = 0;
    const hello = () => {
      if (this.frame !== frame || !frame.contentWindow) return;
      frame.contentWindow.postMessage({ type: HELLO, id: this.id_ }, ORIGIN);
      if (!this.heard && ++tries < 10) this.retry = setTimeout(hello, 500);  // until the page's script listens
    };
    this.heard = false;
    frame.addEventListener("load", () => { tries = 0; clearTimeout(this.retry); hello(); });
    this.frame = frame;
    this.root.querySelector(".box").replaceWith(node("div", { class: "box" }, frame));
    if (focus) frame.focus();
  }

  onMessage(event) {
    // Only the frame we made, from the checker's own origin, may resize us; everything else is ignored.
    if (!this.frame || event.origin !== ORIGIN || event.source !== this.frame.contentWindow) return;
    const data = event.data;
    if (!data || data.type !== HEIGHT || data.id !== this.id_) return;
    const height = Number(data.height);
    if (!Number.isFinite(height) || height <= 0) return;
    this.heard = true;
    this.frame.style.height = `${Math.min(Math.ceil(height), MAX_HEIGHT)}px`;
    this.onScroll();  // a taller or shorter frame moves its part in view
  }
}

if (!customElements.get("warranty-checker")) customElements.define("warranty-checker", WarrantyChecker);
