// The card's actions that only a visitor's click needs: copy the link, save the dates to a calendar. Loaded
// (checker.js loadActions) when the first answer shows their buttons, never on the way to that answer. Print
// stays in checker.js: the browser's own print starts with a beforeprint event, which cannot wait for a module.

import { clauseLabel, collect, dayNumber, el, stateOf, TEXT } from "./checker.js";

// ---------------------------------------------------------------- calendar (.ics), made in the browser
function icsText(value) {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

// RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character.
function icsFold(line) {
  const encoder = new TextEncoder();
  const parts = [];
  let current = "", size = 0;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    if (size + bytes > (parts.length ? 74 : 75)) { parts.push(current); current = ""; size = 0; }
    current += char; size += bytes;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

// One event per date: a short title (at most 60 characters), every sentence of that day in the description,
// each with its clause's link.
const ICS_TITLE_MAX = 60;
const REMINDER_DAYS = 3;

function shorten(text, max) {
  return [...text].length <= max ? text : `${[...text].slice(0, max - 1).join("")}…`;
}

function deadlines(section, decision) {
  const lang = section.dataset.lang, t = TEXT[lang];
  const title = section.querySelector(".wc-title").textContent.trim();
  const byDate = new Map();
  const add = (date, summary, detail, clause) => {
    if (!byDate.has(date)) byDate.set(date, []);
    byDate.get(date).push({ summary, detail, clause });
  };
  if (decision.coverage_end) add(decision.coverage_end, t.coverage_ends(title), t.coverage_ends(title), null);
  for (const o of decision.obligations || []) {
    if (o.due) add(o.due, t.deadline(o.clause ? clauseLabel(section, o.clause) : o.code), o.message[lang], o.clause);
  }
  return [...byDate.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, items]) => ({
    date,
    summary: shorten(items.length === 1 ? items[0].summary : `${t.dates(items.length)}: ${items.map((i) => i.summary).join(" · ")}`, ICS_TITLE_MAX),
    items,
  }));
}

function icsCalendar(section, decision) {
  const lang = section.dataset.lang, t = TEXT[lang];
  const terms = new URL(section.dataset.terms, location.href).href;
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//warranty-checker//EN", "CALSCALE:GREGORIAN"];
  for (const event of deadlines(section, decision)) {
    const day = event.date.replace(/-/g, "");
    const next = new Date(dayNumber(event.date) * 86400000 + 86400000).toISOString().slice(0, 10).replace(/-/g, "");
    const description = event.items.map((i) => `${i.detail}\n${i.clause ? `${terms}#${i.clause}` : terms}`).join("\n\n");
    lines.push("BEGIN:VEVENT", `UID:${decision.program}-${day}@warranty-checker`, `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${day}`, `DTEND;VALUE=DATE:${next}`, `SUMMARY:${icsText(event.summary)}`,
      `DESCRIPTION:${icsText(description)}`,
      "BEGIN:VALARM", "ACTION:DISPLAY", `TRIGGER:-P${REMINDER_DAYS}D`, `DESCRIPTION:${icsText(t.reminder(event.summary))}`, "END:VALARM",
      "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(icsFold).join("\r\n")}\r\n`;
}

export function downloadIcs(section) {
  const { decision } = stateOf(section);
  if (!decision) return;
  const blob = new Blob([icsCalendar(section, decision)], { type: "text/calendar;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: `warranty-${decision.program}.ics` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  say(section, TEXT[section.dataset.lang].ics_saved);
}

// ---------------------------------------------------------------- copy link
function say(section, message, extra) {
  const status = section.querySelector("[data-wc-action-status]");
  status.replaceChildren(message, ...(extra ? [" ", extra] : []));
}

// The link to share: this page, or (in an embed) the full checker page that data-share-base names.
function shareLink(section) {
  // The link carries the claim date the answer was computed for, so that it gives the same answer tomorrow.
  const answers = collect(section);
  const decided = stateOf(section).decision?.claim_date;
  if (!answers.claim_date && decided) answers.claim_date = decided;
  const hash = new URLSearchParams(answers).toString();
  const base = section.dataset.shareBase ? new URL(section.dataset.shareBase, location.href).href : location.href.split("#")[0];
  return base + (hash ? `#${hash}` : "");
}

export async function copyLink(section) {
  const t = TEXT[section.dataset.lang];
  const link = shareLink(section);
  try {
    await navigator.clipboard.writeText(link);
    say(section, t.copied);
  } catch {
    // No clipboard access (older browser, insecure context, permission refused): show the link, selected.
    const field = el("input", { type: "text", readonly: "", value: link, class: "wc-copy-field", "aria-label": t.copy });
    say(section, t.copy_manual, field);
    field.focus();
    field.select();
  }
}

