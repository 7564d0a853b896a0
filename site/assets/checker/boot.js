// The check pages' start: wire every checker on the page (a file, not an inline script, so that the
// Content-Security-Policy needs no hash for it).
import { boot } from "./checker.js";

// Scripts run: what Material's bundle does first, done here as it now starts later (the theme's CSS and ours read it).
document.documentElement.classList.replace("no-js", "js");
const answered = boot();

// Material's own script (search, the palette toggle, back to top) runs once the first answer is on screen, or at once
// when the visitor reaches for anything outside the checker (the header, the navigation): its one long task, the
// page's first layout among it, then never holds up the first answer. main.html names it in data-theme-script.
const theme = document.querySelector("script[data-theme-script]")?.dataset.themeScript;
if (theme) {
  const TOUCHES = ["pointerdown", "focusin", "keydown"];
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const type of TOUCHES) document.removeEventListener(type, reached, true);
    const script = document.createElement("script");
    script.src = theme;
    // The bundle mounts on DOMContentLoaded, long past: tell it again once it listens (no other script on these pages listens for it).
    script.addEventListener("load", () => document.dispatchEvent(new Event("DOMContentLoaded")));
    document.body.append(script);
  };
  const reached = (event) => {
    if (!event.target.closest?.("[data-wc]")) start();
  };
  for (const type of TOUCHES) document.addEventListener(type, reached, true);
  answered.finally(() => requestAnimationFrame(() => setTimeout(start, 0)));  // once the answer is painted
}
