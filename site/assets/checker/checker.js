// The checker on the page's main thread: form wiring, URL prefill and the result card. Python never runs
// here; every answer comes from worker.js through the worker client (client.js). The actions that only a
// visitor's click needs (copy link, calendar file) are in actions.js, loaded when first shown.

import { config, evaluate, jsonOf, retry, runtime, startRuntime } from "./client.js";

export { startRuntime };

// The words of every interface, from rules/data/words.toml (build.py splices them in: one table for the pages,
// the card, the embed and the command line). A word with `args` is a template: here, a function of those
// arguments, in that order.
const WORDS = {};
// English month names, from rules/fmt.py MONTHS (spliced in by build.py): the card's dates read as the rules' messages.
const MONTHS = null;
export const TEXT = Object.fromEntries(Object.entries(WORDS).map(([lang, words]) => [lang, compileWords(words)]));

function daysLeft(t, days) {
  return days === 0 ? t.last_day : days > 0 ? t.days_left(days) : t.days_ended(-days);
}

function compileWords(words) {
  const word = (entry) => {
    if (typeof entry === "string") return entry;
    if (entry.args) return (...values) => entry.text.replace(/\{(\w+)\}/g, (_, name) => String(values[entry.args.indexOf(name)]));
    return compileWords(entry);  // a group: status, remedy, effect
  };
  return Object.fromEntries(Object.entries(words).map(([key, entry]) => [key, word(entry)]));
}

// ---------------------------------------------------------------- form state
const UNREADABLE = "?";  // the answer sent for an input the browser could not read: the rules' bad_date message
const FIELD_NAMES = (section) => [...section.querySelectorAll(".wc-field")].map((el) => el.dataset.field);

// The answer a question's box holds, as the rules read it (a field's value, a radio's pick, "?" for what the browser could not read).
function answerOf(box) {
  if (box.dataset.kind === "bool") {
    const checked = box.querySelector("input:checked");
    return checked ? checked.value : (box.dataset.unread || "");  // an unreadable prefill, until a radio is picked
  }
  const input = box.querySelector("input, select");
  if (!input) return "";
  // A date or time the browser cannot read (02/30/2026, a half-typed year) has an empty value: say so at the field
  // instead of ignoring it. What the visitor typed stays in the input.
  if (input.validity?.badInput) return UNREADABLE;
  return input.value.trim();
}

// What checker.js keeps for each checker section, here rather than on its DOM nodes: the decision on show (and
// what it was rendered from, so that the same answer again is not rendered twice), the download figures last announced, the compact status's hook for them, the wiring's apply and show, and what it
// parsed once from the section's data attributes (clause labels, each field's show_if conditions).
const STATE = new WeakMap();

export function stateOf(section) {
  if (!STATE.has(section)) {
    STATE.set(section, {
      decision: null, shown: null, said: null, statusBytes: null, apply: null, show: null, clauses: null, conditions: new Map(),
    });
  }
  return STATE.get(section);
}

// A field's show_if conditions, parsed once (they are read on every keystroke).
function conditionsOf(section, box) {
  const { conditions } = stateOf(section);
  if (!conditions.has(box)) conditions.set(box, box.dataset.showIf ? JSON.parse(box.dataset.showIf) : []);
  return conditions.get(box);
}

// One condition, read as rules/model.py Condition.holds reads it: `in`, `not_in` or `filled`, on a shown answer.
function holds(section, cond) {
  const dep = section.querySelector(`.wc-field[data-field="${cond.field}"]`);
  const shown = !dep?.hidden;
  const value = dep ? answerOf(dep) : "";
  if (cond.not_in) return !(shown && cond.not_in.includes(value));
  if (cond.filled) return shown && value !== "";
  return shown && cond.in.includes(value);
}

function applyConditions(section) {
  // Repeat until stable: a hidden field can hide the fields that depend on it.
  for (let pass = 0; pass < 4; pass += 1) {
    let changed = false;
    for (const box of section.querySelectorAll(".wc-field")) {
      const show = conditionsOf(section, box).every((cond) => holds(section, cond));
      if (box.hidden === show) { box.hidden = !show; changed = true; }
    }
    if (!changed) break;
  }
}

export function collect(section) {
  const answers = {};
  for (const box of section.querySelectorAll(".wc-field")) {
    if (box.hidden) continue;
    const value = answerOf(box);
    if (value !== "") answers[box.dataset.field] = value;
  }
  return answers;
}

const TRUE_WORDS = ["true", "yes", "1", "on"], FALSE_WORDS = ["false", "no", "0", "off"];

function setField(section, name, value) {
  const box = section.querySelector(`.wc-field[data-field="${name}"]`);
  if (!box) return;
  if (box.dataset.kind === "bool") {
    const word = String(value).toLowerCase();
    const target = TRUE_WORDS.includes(word) ? "true" : FALSE_WORDS.includes(word) ? "false" : null;
    for (const radio of box.querySelectorAll("input")) radio.checked = radio.value === target;
    // Keep what could not be read, so its bilingual error shows at the field; picking a radio replaces it.
    if (target === null && word !== "") box.dataset.unread = String(value);
    else delete box.dataset.unread;
    if (!box.dataset.unreadWired) {
      box.dataset.unreadWired = "";
      box.addEventListener("change", () => { delete box.dataset.unread; });
    }
    return;
  }
  const input = box.querySelector("input, select");
  if (input.tagName === "SELECT" && ![...input.options].some((o) => o.value === value)) {
    input.add(new Option(value, value));  // keep an unknown value so its error shows at the field
  }
  input.value = value;
  if (input.value !== value && input.tagName === "INPUT") {
    input.type = "text";                   // a date the browser cannot hold stays as typed, with its error
    input.value = value;
  }
}

// Back to the form as the page was built (schema defaults), undoing setField's stand-ins for bad values.
// (Field by field rather than form.reset(), whose "reset" event would answer a second time.)
function resetForm(section) {
  for (const box of section.querySelectorAll('.wc-field[data-kind="date"], .wc-field[data-kind="month"], .wc-field[data-kind="time"]')) {
    box.querySelector("input").type = box.dataset.kind;
  }
  for (const input of section.querySelectorAll(".wc-field input")) {
    if (input.type === "radio") input.checked = input.defaultChecked; else input.value = input.defaultValue;
  }
  for (const select of section.querySelectorAll(".wc-field select")) {
    for (const option of select.options) option.selected = option.defaultSelected;
  }
}

function fillFrom(section, answers) {
  const names = new Set(FIELD_NAMES(section));
  for (const [key, value] of Object.entries(answers)) if (names.has(key)) setField(section, key, value);
  applyConditions(section);
}

function hashAnswers() {
  const answers = {};
  const hash = location.hash.replace(/^#/, "");
  if (hash.includes("=")) for (const [key, value] of new URLSearchParams(hash)) answers[key] = value;
  return answers;
}

// The query string without answers: they were read once and now live in the fragment only, so a
// shared link never sends them to a server, and an answer cleared in the form cannot come back.
function queryWithout(names) {
  const kept = [...new URLSearchParams(location.search)].filter(([key]) => !names.has(key));
  return kept.length ? `?${new URLSearchParams(kept)}` : "";
}

function readUrlAnswers() {
  const answers = {};
  for (const [key, value] of new URLSearchParams(location.search)) answers[key] = value;
  return Object.assign(answers, hashAnswers());
}

// ---------------------------------------------------------------- result card
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

// Amounts and dates as the rules write them in messages (rules/fmt.py yen and day): digits grouped by commas in both
// languages; English dates with the month's name. Not Intl: each toLocaleString() makes a formatter, and the page's
// first one loads locale data (~20 ms of the first card, CDP profile, loopback).
const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const yen = (n, lang) => (lang === "ja" ? `${grouped(n)}円` : `¥${grouped(n)}`);
const fmtDate = (iso, lang) => {
  const [y, m, d] = iso.split("-").map(Number);
  return lang === "ja" ? `${y}年${m}月${d}日` : `${d} ${MONTHS[m - 1]} ${y}`;
};
export const dayNumber = (iso) => { const [y, m, d] = iso.split("-").map(Number); return Date.UTC(y, m - 1, d) / 86400000; };
const joinList = (items, lang) => items.join(lang === "ja" ? "・" : ", ");
const hasFee = (decision) => decision.fee_jpy !== null && decision.fee_jpy !== undefined;

// A clause's label from its terms page ("§5.6 Repair cap"), baked into the form by the build.
export function clauseLabel(section, clause) {
  const state = stateOf(section);
  if (!state.clauses) state.clauses = JSON.parse(section.dataset.clauses || "{}");
  return state.clauses[clause] || clause;
}

function citation(item, section, t) {
  const links = el("span", { class: "wc-cite" });
  links.append(" ", el("a", { href: `${section.dataset.terms}#${item.clause}` }, clauseLabel(section, item.clause)));
  if (item.interpretation) {
    links.append(" · ", el("a", { href: `${section.dataset.interpretations}#${item.interpretation.toLowerCase()}` }, `${t.reading} ${item.interpretation}`));
  }
  return links;
}

function labelOf(section, name) {
  const box = section.querySelector(`.wc-field[data-field="${name}"]`);
  const label = box?.querySelector("label, legend");
  return label ? label.firstChild.textContent.trim() : name;
}

// ---------------------------------------------------------------- download progress
// While the runtime downloads, the card and the compact status show a <progress> of the bytes on the wire
// (worker.js: `wire`) and say "1.2 of 3.4 MB". The bars move with every report; the words change at most
// every ANNOUNCE_MS or at each quarter, and the compact status announces them (politely): a screen reader
// hears a few updates, not one per chunk.
const ANNOUNCE_MS = 4000;
const megabytes = (bytes) => (bytes / 1e6).toFixed(1);

function progressBar(t) {
  return el("progress", { class: "wc-progress", "aria-label": t.ready_label });
}

function showBytes(section, wire) {
  const t = TEXT[section.dataset.lang];
  const region = section.querySelector('[data-testid="decision"]');
  const label = region.querySelector("[data-wc-progress]");
  if (region.dataset.status !== "loading" || !label || !wire.total) return;
  let bar = region.querySelector(".wc-progress");
  if (!bar) {
    bar = progressBar(t);
    bar.dataset.testid = "progress";
    stateOf(section).said = null;  // a new start (a retry) says its first figures at once
    label.setAttribute("aria-live", "off");  // the compact status announces the same words
    label.closest(".wc-loading").after(bar);
  }
  bar.max = wire.total;
  bar.value = Math.min(wire.received, wire.total);
  const said = stateOf(section).said || { at: -Infinity, quarter: -1 };
  const quarter = Math.floor((4 * wire.received) / wire.total);
  const now = performance.now();
  if (quarter !== said.quarter || now - said.at >= ANNOUNCE_MS) {
    stateOf(section).said = { at: now, quarter };
    label.textContent = t.ready_bytes(megabytes(bar.value), megabytes(wire.total));
  }
  stateOf(section).statusBytes?.(bar.value, wire.total, label.textContent);
}

// ---------------------------------------------------------------- compact status
// The status that stays in view while the visitor answers (DESIGN: [data-testid="status"]): between the form and
// the card, sticky at the bottom of the viewport, so it sits beside the question being answered on any screen. It
// carries the decision's data-status, names the next question while answers are missing, and its button brings the
// visitor to the full card (a button, not a link: a terms page's fragment belongs to its clauses).
function statusLine(section, status, t, lang) {
  const { decision } = stateOf(section);
  if (!decision || !DECIDED_OR_OPEN.has(status)) return status === "unavailable" ? t.unavailable : t.loading;
  if (status === "incomplete" && decision.missing.length) return t.status_next(labelOf(section, decision.missing[0]));
  if (status === "invalid" && decision.errors.length) return t.status_fix(labelOf(section, decision.errors[0].field));
  if (status === "covered") {
    const pays = decision.customer_pays_jpy_with_tax;
    return pays ? t.status_covered_pays(yen(pays, lang)) : t.status_covered_free;
  }
  return t.status[status] || status;
}
const DECIDED_OR_OPEN = new Set(["covered", "not_covered", "incomplete", "invalid"]);

function watchStatus(section) {
  const lang = section.dataset.lang, t = TEXT[lang];
  const region = section.querySelector('[data-testid="decision"]');
  const text = el("span", { class: "wc-status__text", "aria-live": "polite" });  // announced politely as it changes
  const go = el("button", { type: "button", class: "wc-status__go" }, t.status_go);
  go.addEventListener("click", () => {
    region.scrollIntoView({ block: "start" });
    region.focus({ preventScroll: true });
  });
  const bar = el("div", { class: "wc-status", "data-testid": "status" }, text, go);
  region.before(bar);
  let progress = null, words = null;  // while the runtime downloads: its bar, and the words last said
  stateOf(section).statusBytes = (value, max, said) => {
    if (bar.dataset.status !== "loading") return;
    if (!progress) {
      progress = progressBar(t);
      text.after(progress);
    }
    progress.max = max;
    progress.value = value;
    if (said !== words) text.textContent = words = said;
  };
  const show = () => {
    const status = region.dataset.status || "loading";
    bar.dataset.status = status;
    if (status !== "loading" || !region.querySelector(".wc-progress")) {
      progress?.remove();
      progress = words = null;
    }
    const line = words || statusLine(section, status, t, lang);
    if (text.textContent !== line) text.textContent = line;
    go.hidden = !DECIDED_OR_OPEN.has(status);
  };
  new MutationObserver(show).observe(region, { attributes: true, attributeFilter: ["data-status"], childList: true });
  show();
}

// At its field a message need not repeat the question above it ("Date you registered…: this date does not exist."):
// the rules start each with the label, for the summary and the terminal; the field shows the rest, capitalised.
function atField(message, label) {
  if (!label || !message.startsWith(label)) return message;
  const rest = message.slice(label.length).replace(/^\s*[:：]\s*/, "");
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : message;
}

function showErrors(section, decision) {
  const lang = section.dataset.lang;
  const errors = new Map((decision.errors || []).map((e) => [e.field, e.message[lang]]));
  for (const box of section.querySelectorAll(".wc-field")) {
    const message = atField(errors.get(box.dataset.field) || "", labelOf(section, box.dataset.field));
    const slot = box.querySelector(".wc-error");
    if (slot.textContent !== message) slot.textContent = message;  // unchanged text is not re-announced
    for (const input of box.querySelectorAll("input, select")) {
      if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }
    box.classList.toggle("wc-field--error", Boolean(message));
  }
}

// The headline: one sentence naming the outcome and what decides it (issue 14). Covered: what you get and what
// you pay; not covered: the first reason that rules it out, and the nearest alternative the rules computed.
function headline(_section, decision, t, lang) {
  const line = el("p", { class: "wc-headline", "data-testid": "headline" }, el("strong", { class: "wc-verdict", "data-testid": "verdict" }, t.status[decision.status] || decision.status));
  const colon = lang === "ja" ? "：" : ": ";
  const bits = [];
  if (decision.status === "covered") {
    if (decision.remedies?.length) bits.push(t.remedy_list(joinList(decision.remedies.map((r) => t.remedy[r] || r), lang)));
    if (hasFee(decision)) {
      const total = decision.customer_pays_jpy_with_tax ?? decision.customer_pays_jpy;
      bits.push(total ? t.pays(yen(total, lang)) : `${t.free}${lang === "ja" ? "です。" : "."}`);
    }
  } else if (decision.status === "not_covered") {
    const deciding = (decision.reasons || []).find((r) => r.effect === "excludes");
    if (deciding) bits.push(deciding.message[lang]);
    const nearest = (decision.alternatives || [])[0];
    if (nearest) bits.push(nearest.message[lang]);
  }
  if (bits.length) line.append(colon, el("span", { "data-testid": "summary" }, bits.join(lang === "ja" ? "" : " ")));
  return line;
}

// The money as a sum a person can check: fee + tax + the part above the cap (not taxed) = what you pay.
function moneySum(_section, decision, t, lang) {
  const total = decision.customer_pays_jpy_with_tax ?? decision.customer_pays_jpy;
  if (!total) return el("dd", { "data-testid": "total" }, el("strong", {}, t.free));
  const fee = decision.fee_jpy, tax = (decision.fee_jpy_with_tax ?? fee) - fee;
  const excess = decision.excess_jpy ?? (decision.customer_pays_jpy - fee);
  const parts = [el("span", { "data-testid": "fee" }, t.fee_part(yen(fee, lang)))];
  if (tax) parts.push(el("span", { "data-testid": "tax" }, t.tax_part(yen(tax, lang), decision.tax_percent)));
  if (excess) {
    const cap = decision.cap_jpy ? yen(decision.cap_jpy, lang) : null;  // the cap the rules applied
    parts.push(el("span", { "data-testid": "excess" }, cap ? t.excess_over(yen(excess, lang), cap) : t.excess(yen(excess, lang))));
  }
  const dd = el("dd", { "data-testid": "total", class: "wc-sum" });
  parts.forEach((part, i) => { dd.append(...(i ? [" + ", part] : [part])); });
  if (parts.length > 1) dd.append(" = ");
  dd.append(el("strong", { "data-testid": "to-pay" }, parts.length > 1 ? t.to_pay(yen(total, lang)) : yen(total, lang)));
  return dd;
}

function factsList(section, decision, t, lang) {
  const facts = el("dl", { class: "wc-facts" });
  const add = (term, testid, text) => facts.append(el("dt", {}, term), el("dd", { "data-testid": testid }, text));
  if (hasFee(decision)) facts.append(el("dt", {}, t.you_pay), moneySum(section, decision, t, lang));
  if (decision.coverage_start || decision.coverage_end) {
    let text = `${decision.coverage_start ? fmtDate(decision.coverage_start, lang) : "…"} – ${decision.coverage_end ? fmtDate(decision.coverage_end, lang) : t.open_ended}`;
    if (decision.coverage_end && decision.claim_date) text += t.paren(daysLeft(t, dayNumber(decision.coverage_end) - dayNumber(decision.claim_date)));
    add(decision.coverage_label ? decision.coverage_label[lang] : t.coverage, "coverage", text);
  }
  if (decision.remedies?.length) add(t.remedies, "remedies", joinList(decision.remedies.map((r) => t.remedy[r] || r), lang));
  return facts.childElementCount ? facts : null;
}

// A deadline with a penalty reads "by D, otherwise ¥X incl. tax"; an amount without a deadline is a cost
// you choose to incur (e.g. a cancellation fee), so it is shown as a cost, not as a threat.
function obligationTag(o, t, lang) {
  const amount = o.penalty_jpy ? t.incl_tax(yen(o.penalty_jpy_with_tax ?? o.penalty_jpy, lang)) : null;
  let text = null;
  if (o.due && amount) text = t.due_or(fmtDate(o.due, lang), amount);
  else if (o.due) text = t.due(fmtDate(o.due, lang));
  else if (amount) text = t.cost(amount);
  if (!text) return null;
  return el("span", { class: o.due ? "wc-tag wc-tag--due" : "wc-tag", "data-due": o.due || null }, text);
}

// Phone numbers become tel: links and host names (the provider's claim page, the IMEI registration page)
// links that leave the site only when followed.
const ACTIONABLE = /(\b0\d{1,4}-\d{1,4}-\d{3,4}\b)|(\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:jp|com)\b)/g;

function actionable(text) {
  const out = [];
  let last = 0;
  for (const match of text.matchAll(ACTIONABLE)) {
    out.push(text.slice(last, match.index));
    out.push(match[1]
      ? el("a", { href: `tel:${match[1].replace(/-/g, "")}`, class: "wc-tel" }, match[1])
      : el("a", { href: `https://${match[2]}/`, rel: "noopener noreferrer external", target: "_blank" }, match[2]));
    last = match.index + match[0].length;
  }
  out.push(text.slice(last));
  return out.filter((part) => part !== "");
}

function itemRow(item, section, t, lang, tag) {
  const label = tag ? tag(item) : null;
  return el("li", { "data-code": item.code, "data-effect": item.effect || null }, label, label ? " " : null,
    ...actionable(item.message[lang]), item.clause ? citation(item, section, t) : null);
}

function itemList(title, items, section, t, lang, tag) {
  if (!items?.length) return [];
  const ul = el("ul", { class: "wc-list" });
  for (const item of items) ul.append(itemRow(item, section, t, lang, tag));
  return [el(subheading(section), {}, title), ul];
}

// Reasons that rule it out first, each marked; the conditions met, marked and folded; notes last.
function reasonList(decision, section, t, lang) {
  const reasons = decision.reasons || [];
  if (!reasons.length) return [];
  const mark = (r) => el("span", { class: `wc-mark wc-mark--${r.effect}` }, t.effect[r.effect]);
  const group = (effect) => reasons.filter((r) => (r.effect || "note") === effect);
  const list = (items) => el("ul", { class: "wc-list" }, ...items.map((r) => itemRow(r, section, t, lang, r.effect ? mark : null)));
  const out = [el(subheading(section), {}, t.reasons)];
  const excludes = group("excludes"), meets = group("meets"), notes = group("note");
  if (excludes.length) out.push(list(excludes));
  if (meets.length) {
    out.push(el("details", { class: "wc-met", "data-testid": "met" }, el("summary", {}, meets.length === 1 ? t.met_one : t.met_many(meets.length)), list(meets)));
  }
  if (notes.length) out.push(list(notes));
  return out;
}

// GOV.UK's error summary: each bad answer as a link that moves the focus to its field.
function fieldLink(section, name, text) {
  const box = section.querySelector(`.wc-field[data-field="${name}"]`);
  const input = box?.querySelector("input, select");
  const link = el("a", { href: input ? `#${input.id}` : "#", "data-field": name }, text);
  link.addEventListener("click", (event) => {
    event.preventDefault();  // the fragment holds the answers (or, on a terms page, a clause): never change it
    if (!input) return;
    (box.querySelector("label, legend") || box).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  });
  return link;
}

function errorSummary(section, decision, t, lang) {
  const errors = decision.errors || [];
  if (decision.status !== "invalid" || !errors.length) return null;
  return el("div", { class: "wc-error-summary", "data-testid": "error-summary", tabindex: "-1" },
    el(subheading(section), {}, t.problem),
    el("ul", { class: "wc-list" }, ...errors.map((e) => el("li", {}, fieldLink(section, e.field, e.message[lang])))));
}

function missingList(section, decision, t) {
  if (decision.status !== "incomplete" || !(decision.missing || []).length) return [];
  return [el(subheading(section), {}, t.missing),
    el("ul", { class: "wc-list", "data-testid": "missing" }, ...decision.missing.map((name) => el("li", {}, fieldLink(section, name, labelOf(section, name)))))];
}

// What would change the answer (computed by the rules): a sentence each, and a button that makes the change.
function alternativeList(section, decision, t, lang) {
  const alternatives = decision.alternatives || [];
  const costly = (decision.excess_jpy || 0) > 0;
  if (!alternatives.length || !(decision.status === "not_covered" || costly)) return [];
  const ul = el("ul", { class: "wc-list wc-alternatives", "data-testid": "alternatives" });
  alternatives.forEach((alt, i) => {
    const id = `${section.id}-alt-${i}`;
    const button = el("button", { type: "button", class: "wc-button wc-button--quiet", "aria-describedby": id }, t.apply);
    button.addEventListener("click", () => stateOf(section).apply(alt.changes));
    ul.append(el("li", { "data-status": alt.status }, el("span", { id }, alt.message[lang]), " ", button));
  });
  return [el(subheading(section), {}, t.alternatives), ul];
}

// The card's headings sit one level below the checker's title (h2 in a page, h1 in an embed).
function subheading(section) {
  const title = section.querySelector(".wc-title");
  return `h${Math.min(6, (title ? Number(title.tagName.slice(1)) : 2) + 1)}`;
}

// Nothing answered yet but what the form holds by default: an empty form argues nothing (issue 15).
function untouched(section) {
  return Object.entries(collect(section)).every(([name, value]) => {
    const box = section.querySelector(`.wc-field[data-field="${name}"]`);
    return box && box.dataset.default === value;
  });
}

function render(section, decision) {
  const lang = section.dataset.lang, t = TEXT[lang];
  const region = section.querySelector('[data-testid="decision"]');
  // The same answer as the one on show (typing a number whose error stays the same): nothing to redo. The worker's
  // own JSON text of it tells, without writing it out again.
  const fresh = untouched(section);
  const shown = `${fresh} ${jsonOf(decision)}`;
  if (stateOf(section).shown === shown) return;
  stateOf(section).shown = shown;
  showErrors(section, decision);
  if (decision.status === "incomplete" && fresh) {
    region.replaceChildren(el("div", { class: "wc-card wc-card--start" },
      el("p", { class: "wc-headline", "data-testid": "headline" }, t.start)));
    region.dataset.status = decision.status;
    delete region.dataset.feeJpy;
    region.setAttribute("aria-busy", "false");
    stateOf(section).decision = decision;
    updateActions(section, null);  // nothing to copy, print or remember yet
    return;
  }
  const card = el("div", { class: `wc-card wc-card--${decision.status}` });
  card.append(errorSummary(section, decision, t, lang) || "");
  card.append(headline(section, decision, t, lang));
  card.append(...missingList(section, decision, t));
  card.append(factsList(section, decision, t, lang) || "");
  // Not covered: why comes next, the deciding reason first; covered: what to do comes first, the conditions met later.
  const reasons = reasonList(decision, section, t, lang);
  if (decision.status !== "covered") card.append(...reasons);
  card.append(...alternativeList(section, decision, t, lang));
  card.append(...itemList(t.obligations, decision.obligations, section, t, lang, (o) => obligationTag(o, t, lang)));
  card.append(...itemList(t.next_steps, decision.next_steps, section, t, lang));
  if (decision.status === "covered") card.append(...reasons);
  if (decision.billing?.summary) {
    card.append(el(subheading(section), {}, t.billing), el("p", { "data-testid": "billing" }, decision.billing.summary[lang], citation(decision.billing, section, t)));
  }
  if (decision.claim_date && decision.status !== "invalid") {
    card.append(el("p", { class: "wc-computed", "data-testid": "computed-for" }, t.computed_for(fmtDate(decision.claim_date, lang), section.dataset.termsVersion || "")));
  }
  region.replaceChildren(card);
  region.dataset.status = decision.status;
  if (hasFee(decision)) region.dataset.feeJpy = String(decision.fee_jpy);
  else delete region.dataset.feeJpy;
  region.setAttribute("aria-busy", "false");
  stateOf(section).decision = decision;
  updateActions(section, decision.status === "invalid" ? null : decision);  // nothing to copy, print or remember
}

function renderUnavailable(section) {
  const t = TEXT[section.dataset.lang];
  const region = section.querySelector('[data-testid="decision"]');
  const why = runtime.why || "error";
  const retryButton = why === "refused" ? null : el("button", { type: "button", class: "wc-button", "data-testid": "retry" }, t.retry);
  if (retryButton) retryButton.addEventListener("click", retry);
  region.replaceChildren(el("div", { class: "wc-card wc-card--unavailable", "data-reason": why },
    el("p", { class: "wc-verdict" }, why === "network" ? t.network : why === "refused" ? t.refused : t.unavailable),
    el("p", {}, why === "network" ? t.network_help : t.unavailable_help, " ", el("a", { href: section.dataset.terms }, t.terms)),
    el("p", { "data-testid": "contact" }, section.querySelector("[data-wc-contact]")?.textContent || ""),
    retryButton));
  region.dataset.status = "unavailable";
  delete region.dataset.feeJpy;
  region.setAttribute("aria-busy", "false");
  Object.assign(stateOf(section), { decision: null, shown: null });
  updateActions(section, null);
}

// The card while no decision for the current answers can be shown: loading, restarting, recomputing.
function renderBusy(section, text, stages = false) {
  const region = section.querySelector('[data-testid="decision"]');
  region.dataset.status = "loading";
  delete region.dataset.feeJpy;
  region.setAttribute("aria-busy", "true");
  region.replaceChildren(el("p", { class: "wc-loading" }, el("span", { class: "wc-spinner", "aria-hidden": "true" }), " ",
    el("span", stages ? { "data-wc-progress": "" } : {}, text)));
  Object.assign(stateOf(section), { decision: null, shown: null });
  updateActions(section, null);
}

// ---------------------------------------------------------------- print: the answers as text
// Form controls print poorly (empty selects, tiny radios), so print a plain list of the answers instead.
function answerText(section, box) {
  const t = TEXT[section.dataset.lang];
  const value = answerOf(box);
  if (box.dataset.kind === "bool") return value === "true" ? t.yes : t.no;
  if (box.dataset.kind === "date" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return fmtDate(value, section.dataset.lang);
  const select = box.querySelector("select");
  return select ? select.selectedOptions[0].textContent : value;
}

function printAnswers(section) {
  const list = section.querySelector("[data-wc-print]");
  if (!list) return;
  const rows = [];
  for (const box of section.querySelectorAll(".wc-field")) {
    if (box.hidden || answerOf(box) === "") continue;
    rows.push(el("dt", {}, labelOf(section, box.dataset.field)), el("dd", {}, answerText(section, box)));
  }
  list.replaceChildren(...rows);
}

// A printed answer is a record: the conditions met print unfolded (as Material prints the site's other folds), and
// fold again afterwards as the visitor left them.
function unfoldForPrint(section) {
  for (const fold of section.querySelectorAll("details.wc-met:not([open])")) {
    fold.open = true;
    fold.dataset.printOpened = "";
  }
}

function refoldAfterPrint(section) {
  for (const fold of section.querySelectorAll("details[data-print-opened]")) {
    fold.open = false;
    delete fold.dataset.printOpened;
  }
}

// ---------------------------------------------------------------- actions: copy link, calendar, print
// The dates the calendar file holds: the end of coverage and each obligation's due date.
function hasDeadlines(decision) {
  return Boolean(decision.coverage_end) || (decision.obligations || []).some((o) => o.due);
}

// actions.js, fetched once: when the browser is idle after the first answer shows the buttons, or at the first
// click if that comes sooner (a click within a moment of the page opening still copies: the clipboard accepts a
// write for a few seconds after the visitor's gesture).
let actions = null;
const loadActions = () => {
  actions ||= import("./actions.js");
  return actions;
};

function updateActions(section, decision) {
  const bar = section.querySelector("[data-wc-actions]");
  if (!bar) return;
  bar.hidden = !decision;
  const ics = bar.querySelector('[data-action="ics"]');
  if (ics) ics.hidden = !decision || !hasDeadlines(decision);
  if (decision && !actions) (window.requestIdleCallback || setTimeout)(() => loadActions().catch(() => { actions = null; }));
}

function wireActions(section) {
  const bar = section.querySelector("[data-wc-actions]");
  if (!bar) return;
  bar.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    if (button.dataset.action === "print") return window.print();
    try {
      const { copyLink, downloadIcs } = await loadActions();
      if (button.dataset.action === "copy") await copyLink(section);
      else if (button.dataset.action === "ics") downloadIcs(section);
    } catch (error) {
      actions = null;  // not fetched (offline before it was kept): the next click tries again
      console.warn("[checker] this action could not be loaded:", error);
    }
  });
}

// ---------------------------------------------------------------- offline after one visit
// Once a first answer is on screen (never before it: installing fetches the site's files) and the browser
// is idle, the service worker (site/sw.js) is registered, so that the next visit opens and answers offline.
// Only in a secure context (https, or localhost), where browsers allow one; a refusal (storage blocked, a
// sandboxed or partitioned frame that may not) leaves the checker as it is, online. Never when the visitor
// asks to save data: installing costs what the pages not yet seen weigh (prefetch.js owns that question).
const SERVICE_WORKER = new URL("../../sw.js", import.meta.url);
let offlineAsked = false;

async function keepForOffline() {
  if (offlineAsked) return;
  offlineAsked = true;
  try {
    if (!window.isSecureContext || !("serviceWorker" in navigator)) return;
    const { savingData } = await import("./prefetch.js");
    if (savingData()) return;
  } catch (_error) {
    return;
  }
  const register = () => navigator.serviceWorker.register(SERVICE_WORKER.href).catch((error) => console.warn("[checker] not kept for offline use:", error));
  if (window.requestIdleCallback) requestIdleCallback(register, { timeout: 5000 }); else setTimeout(register, 1000);
}

// ---------------------------------------------------------------- wiring
const DECIDED = new Set(["covered", "not_covered", "incomplete", "invalid"]);

// The answers go into the fragment (a share link), never stopping the checker: the URL is built from the
// full address (a path such as //check/… would otherwise read as another host), and a browser that
// refuses the change (file:, sandboxed frames, rate limits) keeps the old URL and still answers.
function keepInUrl(answers, fieldNames) {
  try {
    const url = new URL(location.href);
    url.search = queryWithout(fieldNames);
    url.hash = new URLSearchParams(answers).toString();
    history.replaceState(null, "", url.href.replace(/#$/, ""));
  } catch (_error) {
    // the address stays as it was
  }
}

// Once the browser has painted what is pending (the character just typed), or after PAINT_WAIT_MS in a frame that
// paints no frames (hidden or throttled: a background tab, an embed scrolled far away).
const PAINT_WAIT_MS = 100;
function afterPaint() {
  return new Promise((done) => {
    const timer = setTimeout(done, PAINT_WAIT_MS);
    requestAnimationFrame(() => setTimeout(() => { clearTimeout(timer); done(); }, 0));
  });
}

function wire(section, prefill) {
  const program = section.dataset.program;
  const form = section.querySelector("form");
  fillFrom(section, prefill);
  const fieldNames = new Set(FIELD_NAMES(section));

  const region = section.querySelector('[data-testid="decision"]');
  // One question at a time: answers changed while one is being answered make one more question once it is back, with
  // the answers as they are then (typing fast never queues up stale questions in the worker). update() settles once
  // the card shows the answer to the current answers.
  let running = null, again = false;
  const update = () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await ask();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const ask = async () => {
    applyConditions(section);
    const answers = collect(section);
    // The card shows a decision for the current answers only: if the new one is slow to come, it says so.
    const stale = setTimeout(() => {
      if (DECIDED.has(region.dataset.status)) renderBusy(section, TEXT[section.dataset.lang].recomputing);
    }, config.staleMs);
    try {
      const answered = evaluate(program, answers);  // the question is on its way first; the address changes meanwhile
      if (!("keepUrl" in section.dataset)) keepInUrl(answers, fieldNames);  // a terms page's fragment belongs to its clauses
      const decision = await answered;
      await afterPaint();  // the key the visitor pressed is painted first; the card follows a frame later
      if (!again && runtime.state !== "unavailable") {
        render(section, decision);   // an answer to answers changed since is never shown: the next question follows
        keepForOffline();
      }
    } catch (_error) {
      if (runtime.state === "loading") return;            // the worker is restarting: the ready event re-runs us
      renderUnavailable(section);  // no answer can be given: say so, never spin forever
    } finally {
      clearTimeout(stale);
    }
  };
  // Typing, selects, radios and pickers alike fire `input`. What the change shows (the next question) follows it at
  // once; the rest (the address, the question) once the change is painted, and once per frame: keys pressed in quick
  // succession make one question.
  // Only an answer that some question's show_if reads can show or hide one: typing an IMEI or an amount reads none.
  const read = new Set([...section.querySelectorAll(".wc-field")].flatMap((box) => conditionsOf(section, box).map((cond) => cond.field)));
  let queued = false;
  form.addEventListener("input", (event) => {
    if (read.has(event.target.closest(".wc-field")?.dataset.field)) applyConditions(section);
    if (queued) return;
    queued = true;
    afterPaint().then(() => { queued = false; update(); });
  });
  // A date or time input that becomes unreadable (or readable again) while typed fires no input event, as its value
  // stays empty: notice the change on the key that caused it, and when the visitor leaves the field.
  const checkUnreadable = (event) => {
    const input = event.target;
    if (!input.validity || !("unreadable" in input.dataset ? true : input.validity.badInput)) return;
    if (input.validity.badInput) input.dataset.unreadable = ""; else delete input.dataset.unreadable;
    update();
  };
  form.addEventListener("keyup", checkUnreadable);
  form.addEventListener("focusout", checkUnreadable);
  // Enter in a field is the visitor's "check my answers" (the form has no submit button, so browsers would do
  // nothing): as GOV.UK's error summary, an invalid answer then moves the focus to the summary.
  const check = async () => {
    await update();
    section.querySelector('[data-testid="error-summary"]')?.focus();
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); check(); });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("input:not([type=radio])")) { event.preventDefault(); check(); }
  });
  // The reset event fires before the fields are reset; answer once they hold their defaults again.
  form.addEventListener("reset", () => setTimeout(() => { resetForm(section); applyConditions(section); update(); }));
  wireActions(section);
  watchStatus(section);
  stateOf(section).apply = async (changes) => {  // an alternative's "apply": these answers changed, the rest kept
    for (const [name, value] of Object.entries(changes)) setField(section, name, String(value));
    await update();
    section.querySelector('[data-testid="decision"]').focus({ preventScroll: true });
  };
  stateOf(section).show = (answers) => {          // a worked-example link: exactly these answers, nothing left over
    resetForm(section);
    fillFrom(section, answers);
    update();
    section.scrollIntoView({ block: "start" });
    section.querySelector('[data-testid="decision"]').focus({ preventScroll: true });
  };
  return update;
}

// Wire every checker on the page (the check pages call this from main.html, the embed page once its form
// is in place) and ask for the first answers; the promise settles once they are shown.
export function boot() {
  const sections = [...document.querySelectorAll("[data-wc]")];
  if (!sections.length) return Promise.resolve();
  startRuntime(sections[0].dataset);  // the worker first: Python's start-up runs in parallel with wiring the forms
  const prefill = readUrlAnswers();
  const updates = sections.map((section) => wire(section, sections.length === 1 ? prefill : {}));
  // The printed list of answers is made when printing starts (print button or the browser's own), not on every answer.
  window.addEventListener("beforeprint", () => sections.forEach((section) => { printAnswers(section); unfoldForPrint(section); }));
  window.addEventListener("afterprint", () => sections.forEach(refoldAfterPrint));
  // Our own history.replaceState never fires hashchange: this is a visitor following a link
  // such as a worked example (<a data-example href="#item=…">) or editing the address bar.
  window.addEventListener("hashchange", () => {
    const answers = hashAnswers();
    if (sections.length === 1 && Object.keys(answers).length) stateOf(sections[0]).show(answers);
  });
  runtime.listeners.add((event) => {
    for (const section of sections) {
      const t = TEXT[section.dataset.lang];
      const region = section.querySelector('[data-testid="decision"]');
      if (event.type === "progress") {
        const label = region.querySelector("[data-wc-progress]");
        if (label && !region.querySelector(".wc-progress")) label.textContent = t[event.stage] || t.loading;
      } else if (event.type === "bytes") {
        if (event.wire) showBytes(section, event.wire);
      } else if (event.type === "unavailable") {
        renderUnavailable(section);
      } else if (event.type === "crashed") {
        renderBusy(section, t.crashed);
      } else if (event.type === "retrying" && region.dataset.status !== "loading") {
        renderBusy(section, t.loading, true);
      }
    }
    if (event.type === "ready" && runtime.starts > 1) for (const update of updates) update();  // after a restart or a retry
  });
  if (runtime.state === "unavailable") {
    sections.forEach(renderUnavailable);
    return Promise.resolve();
  }
  // The first answers are asked for now; the worker sends them once Python is up. Settles once every card shows its
  // first answer (or says none can be given).
  return Promise.all(updates.map((update) => update()));
}

