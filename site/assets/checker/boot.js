// The check pages' start: wire every checker on the page (a file, not an inline script, so that the
// Content-Security-Policy needs no hash for it).
import { boot } from "./checker.js";

boot();
