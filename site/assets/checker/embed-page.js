// Embed page boot: choose the language from ?lang=, put that checker in place, then start it.
const lang = new URLSearchParams(location.search).get("lang") === "ja" ? "ja" : "en";
document.documentElement.lang = lang;
const template = document.querySelector(`template[data-lang="${lang}"]`);
document.querySelector("#embed").replaceChildren(template.content.cloneNode(true));
await import("./checker.js");
