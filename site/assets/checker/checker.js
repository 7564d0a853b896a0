// The checker on the page's main thread: form wiring, URL prefill, the worker client and the
// result card. Python never runs here; every answer comes from worker.js (DESIGN.md).

const TEXT = {
  en: {
    loading: "Loading the checker…", runtime: "Loading the Python runtime…", rules: "Loading the warranty rules…",
    covered: "Covered", not_covered: "Not covered", incomplete: "A few more answers are needed",
    invalid: "Please check the highlighted answers", missing: "Still needed:",
    fee: "Fee", withTax: (v, r) => `${v} with ${r}% tax`, total: "You pay in all", coverage: "Coverage",
    daysLeft: (n) => (n === 0 ? "last day today" : n > 0 ? `${n} days left` : `ended ${-n} days ago`),
    openEnded: "until you cancel", remedies: "What you can get", reasons: "Why", obligations: "What you must do",
    nextSteps: "Next steps", billing: "Monthly fee", clause: "clause", reading: "reading", due: "by",
    penalty: "or pay", copy: "Copy link", copied: "Link copied", ics: "Add dates to calendar",
    unavailable: "The checker could not start in this browser (the Python runtime did not load).",
    unavailableHelp: "You can still read the terms, or contact the provider directly.",
    terms: "Read the terms", remedy: { repair: "Repair", exchange: "Exchange", refund: "Refund" },
    crashed: "The checker stopped unexpectedly; restarting…",
  },
  ja: {
    loading: "チェッカーを読み込んでいます…", runtime: "Python 実行環境を読み込んでいます…", rules: "保証ルールを読み込んでいます…",
    covered: "保証の対象です", not_covered: "保証の対象外です", incomplete: "あと少し入力が必要です",
    invalid: "入力内容をご確認ください", missing: "未入力：",
    fee: "料金", withTax: (v, r) => `税込 ${v}（消費税${r}％）`, total: "お支払い総額", coverage: "保証期間",
    daysLeft: (n) => (n === 0 ? "本日が最終日" : n > 0 ? `残り${n}日` : `${-n}日前に終了`),
    openEnded: "解約まで", remedies: "受けられる対応", reasons: "判定の理由", obligations: "お客様に必要な対応",
    nextSteps: "次の手順", billing: "月額料金", clause: "条項", reading: "解釈", due: "期限",
    penalty: "未対応の場合", copy: "リンクをコピー", copied: "コピーしました", ics: "カレンダーに追加",
    unavailable: "このブラウザではチェッカーを起動できませんでした（Python 実行環境を読み込めません）。",
    unavailableHelp: "規約ページをお読みいただくか、提供元に直接お問い合わせください。",
    terms: "規約を読む", remedy: { repair: "修理", exchange: "交換", refund: "返金" },
    crashed: "チェッカーが停止したため再起動しています…",
  },
};

const config = Object.assign({ loadTimeoutMs: 45000 }, globalThis.warrantyCheckerConfig || {});

// ---------------------------------------------------------------- worker client
const runtime = {
  worker: null, ready: null, state: "loading", restarts: 0, nextId: 1, pending: new Map(),
  listeners: new Set(), setup: null,
};

function notify(event) { for (const listener of runtime.listeners) listener(event); }

function startWorker(setup) {
  runtime.setup = setup;
  runtime.state = "loading";
  let settle;
  runtime.ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  runtime.ready.catch(() => {});
  const worker = new Worker(setup.worker, { type: "module" });
  runtime.worker = worker;
  const timer = setTimeout(() => fail("timeout"), config.loadTimeoutMs);
  const fail = (why) => {
    clearTimeout(timer);
    if (runtime.worker !== worker) return;
    worker.terminate();
    for (const { reject } of runtime.pending.values()) reject(new Error(why));
    runtime.pending.clear();
    if (runtime.state === "ready" && runtime.restarts < 1) {
      runtime.restarts += 1;            // a crashed worker is restarted once
      notify({ type: "crashed" });
      startWorker(setup);
      return;
    }
    runtime.state = "unavailable";
    settle.reject(new Error(why));
    notify({ type: "unavailable", why });
  };
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "progress") notify(message);
    else if (message.type === "ready") { clearTimeout(timer); runtime.state = "ready"; settle.resolve(); notify(message); }
    else if (message.type === "failed") fail(message.message);
    else if (message.type === "decision" || message.type === "error") {
      const waiting = runtime.pending.get(message.id);
      runtime.pending.delete(message.id);
      if (!waiting) return;
      if (message.type === "decision") waiting.resolve(message.decision);
      else waiting.reject(new Error(message.message));
    }
  };
  worker.onerror = (event) => { event.preventDefault(); fail("worker error"); };
  worker.postMessage({ type: "init", runtime: setup.runtime, rules: setup.rules });
}

async function evaluate(program, answers, today) {
  if (typeof WebAssembly === "undefined") throw new Error("WebAssembly is not available");
  await runtime.ready;
  return new Promise((resolve, reject) => {
    const id = runtime.nextId++;
    runtime.pending.set(id, { resolve, reject });
    runtime.worker.postMessage({ type: "evaluate", id, program, answers, today: today || null });
  });
}

// ---------------------------------------------------------------- form state
const FIELD_NAMES = (section) => [...section.querySelectorAll(".wc-field")].map((el) => el.dataset.field);

function fieldValue(section, name) {
  const box = section.querySelector(`.wc-field[data-field="${name}"]`);
  if (!box) return "";
  if (box.dataset.kind === "bool") {
    const checked = box.querySelector("input:checked");
    return checked ? checked.value : "";
  }
  const input = box.querySelector("input, select");
  return input ? input.value.trim() : "";
}

function isShown(section, box) {
  const raw = box.dataset.showIf;
  if (!raw) return true;
  return JSON.parse(raw).every((cond) => cond.in.includes(fieldValue(section, cond.field)));
}

function applyConditions(section) {
  // Repeat until stable: a hidden field can hide the fields that depend on it.
  for (let pass = 0; pass < 4; pass += 1) {
    let changed = false;
    for (const box of section.querySelectorAll(".wc-field")) {
      const show = isShown(section, box) && !(box.dataset.showIf && JSON.parse(box.dataset.showIf).some((c) => {
        const dep = section.querySelector(`.wc-field[data-field="${c.field}"]`);
        return dep && dep.hidden;
      }));
      if (box.hidden === show) { box.hidden = !show; changed = true; }
    }
    if (!changed) break;
  }
}

function collect(section) {
  const answers = {};
  for (const box of section.querySelectorAll(".wc-field")) {
    if (box.hidden) continue;
    const value = fieldValue(section, box.dataset.field);
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

function readUrlAnswers() {
  const answers = {};
  for (const [key, value] of new URLSearchParams(location.search)) answers[key] = value;
  const hash = location.hash.replace(/^#/, "");
  if (hash.includes("=")) for (const [key, value] of new URLSearchParams(hash)) answers[key] = value;
  return answers;
}

// ---------------------------------------------------------------- result card
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const yen = (n, lang) => (lang === "ja" ? `${n.toLocaleString("ja-JP")}円` : `¥${n.toLocaleString("en-US")}`);
const fmtDate = (iso, lang) => {
  const [y, m, d] = iso.split("-").map(Number);
  if (lang === "ja") return `${y}年${m}月${d}日`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
};
const dayNumber = (iso) => { const [y, m, d] = iso.split("-").map(Number); return Date.UTC(y, m - 1, d) / 86400000; };

function citation(item, section, t) {
  const links = el("span", { class: "wc-cite" });
  links.append(" ", el("a", { href: `${section.dataset.terms}#${item.clause}` }, `${t.clause} ${item.clause}`));
  if (item.interpretation) {
    links.append(" · ", el("a", { href: `${section.dataset.interpretations}#${item.interpretation.toLowerCase()}` }, `${t.reading} ${item.interpretation}`));
  }
  return links;
}

function labelOf(section, name) {
  const box = section.querySelector(`.wc-field[data-field="${name}"]`);
  const label = box && box.querySelector("label, legend");
  return label ? label.firstChild.textContent.trim() : name;
}

function showErrors(section, decision) {
  const lang = section.dataset.lang;
  const errors = new Map((decision.errors || []).map((e) => [e.field, e.message[lang]]));
  for (const box of section.querySelectorAll(".wc-field")) {
    const message = errors.get(box.dataset.field) || "";
    box.querySelector(".wc-error").textContent = message;
    for (const input of box.querySelectorAll("input, select")) {
      if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }
    box.classList.toggle("wc-field--error", Boolean(message));
  }
}

function render(section, decision) {
  const lang = section.dataset.lang, t = TEXT[lang];
  const region = section.querySelector('[data-testid="decision"]');
  showErrors(section, decision);
  const card = el("div", { class: `wc-card wc-card--${decision.status}` });
  card.append(el("p", { class: "wc-verdict", "data-testid": "verdict" }, t[decision.status] || decision.status));
  if (decision.status === "incomplete") {
    card.append(el("p", {}, `${t.missing} ${decision.missing.map((name) => labelOf(section, name)).join(lang === "ja" ? "、" : ", ")}`));
  }
  const facts = el("dl", { class: "wc-facts" });
  if (decision.fee_jpy !== null && decision.fee_jpy !== undefined) {
    facts.append(el("dt", {}, t.fee), el("dd", { "data-testid": "fee" }, `${yen(decision.fee_jpy, lang)} (${t.withTax(yen(decision.fee_jpy_with_tax, lang), decision.tax_percent)})`));
    if (decision.customer_pays_jpy !== decision.fee_jpy) {
      facts.append(el("dt", {}, t.total), el("dd", { "data-testid": "total" }, `${yen(decision.customer_pays_jpy, lang)} (${t.withTax(yen(decision.customer_pays_jpy_with_tax, lang), decision.tax_percent)})`));
    }
  }
  if (decision.coverage_start || decision.coverage_end) {
    let text = `${decision.coverage_start ? fmtDate(decision.coverage_start, lang) : "…"} – ${decision.coverage_end ? fmtDate(decision.coverage_end, lang) : t.openEnded}`;
    if (decision.coverage_end && decision.claim_date) text += ` (${t.daysLeft(dayNumber(decision.coverage_end) - dayNumber(decision.claim_date))})`;
    facts.append(el("dt", {}, t.coverage), el("dd", { "data-testid": "coverage" }, text));
  }
  if (decision.remedies && decision.remedies.length) {
    facts.append(el("dt", {}, t.remedies), el("dd", { "data-testid": "remedies" }, decision.remedies.map((r) => t.remedy[r] || r).join(lang === "ja" ? "・" : ", ")));
  }
  if (facts.childElementCount) card.append(facts);
  const list = (title, items, extra) => {
    if (!items || !items.length) return;
    const ul = el("ul");
    for (const item of items) ul.append(el("li", {}, item.message[lang], extra ? extra(item) : null, item.clause ? citation(item, section, t) : null));
    card.append(el("h3", {}, title), ul);
  };
  list(t.reasons, decision.reasons);
  list(t.obligations, decision.obligations, (o) => {
    const bits = [];
    if (o.due) bits.push(`${t.due} ${fmtDate(o.due, lang)}`);
    if (o.penalty_jpy) bits.push(`${t.penalty} ${yen(o.penalty_jpy, lang)}`);
    return bits.length ? el("strong", { class: "wc-due" }, ` (${bits.join("; ")})`) : null;
  });
  list(t.nextSteps, decision.next_steps);
  if (decision.billing && decision.billing.summary) card.append(el("h3", {}, t.billing), el("p", {}, decision.billing.summary[lang]));
  region.replaceChildren(card);
  region.dataset.status = decision.status;
  if (decision.fee_jpy !== null && decision.fee_jpy !== undefined) region.dataset.feeJpy = String(decision.fee_jpy);
  else delete region.dataset.feeJpy;
  region.setAttribute("aria-busy", "false");
}

function renderUnavailable(section) {
  const t = TEXT[section.dataset.lang];
  const region = section.querySelector('[data-testid="decision"]');
  region.replaceChildren(el("div", { class: "wc-card wc-card--unavailable" },
    el("p", { class: "wc-verdict" }, t.unavailable),
    el("p", {}, t.unavailableHelp, " ", el("a", { href: section.dataset.terms }, t.terms))));
  region.dataset.status = "unavailable";
  delete region.dataset.feeJpy;
  region.setAttribute("aria-busy", "false");
}

// ---------------------------------------------------------------- wiring
function wire(section, prefill) {
  let latest = 0;
  const program = section.dataset.program;
  const names = new Set(FIELD_NAMES(section));
  for (const [key, value] of Object.entries(prefill)) if (names.has(key)) setField(section, key, value);
  applyConditions(section);

  const update = async () => {
    applyConditions(section);
    const answers = collect(section);
    const ticket = ++latest;
    if (section.dataset.share !== "off") {
      const hash = new URLSearchParams(answers).toString();
      history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
    }
    try {
      const decision = await evaluate(program, answers);
      if (ticket === latest) render(section, decision);   // an older answer never replaces a newer one
    } catch (error) {
      if (ticket === latest) renderUnavailable(section);  // no answer can be given: say so, never spin forever
    }
  };
  section.querySelector("form").addEventListener("input", update);
  section.querySelector("form").addEventListener("change", update);
  section.querySelector("form").addEventListener("submit", (event) => { event.preventDefault(); update(); });
  return update;
}

function boot() {
  const sections = [...document.querySelectorAll("[data-wc]")];
  if (!sections.length) return;
  const prefill = readUrlAnswers();
  const updates = sections.map((section) => wire(section, sections.length === 1 ? prefill : {}));
  runtime.listeners.add((event) => {
    for (const section of sections) {
      const t = TEXT[section.dataset.lang];
      const region = section.querySelector('[data-testid="decision"]');
      if (event.type === "progress") {
        const label = region.querySelector("[data-wc-progress]");
        if (label) label.textContent = t[event.stage] || t.loading;
      } else if (event.type === "unavailable") {
        renderUnavailable(section);
      } else if (event.type === "crashed") {
        region.dataset.status = "loading";
        region.replaceChildren(el("p", { class: "wc-loading" }, t.crashed));
      }
    }
    if (event.type === "ready") updates.forEach((update) => update());
  });
  const first = sections[0].dataset;
  if (typeof WebAssembly === "undefined") {
    runtime.state = "unavailable";
    sections.forEach(renderUnavailable);
    return;
  }
  startWorker({ worker: new URL(first.worker, location.href).href, runtime: new URL(first.runtime, location.href).href, rules: new URL(first.rules, location.href).href });
}

globalThis.warrantyChecker = { evaluate, get state() { return runtime.state; } };
boot();
