// The review page of `bilingual serve --review`: no framework, no network beyond this server.
// Every text from the result is put in the page with textContent, never as HTML.
"use strict";

const params = new URLSearchParams(location.search);
const apiKey = params.get("key");
const state = { index: null, doc: null, current: 0, editing: false };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function status(text, kind) {
  const node = $("status");
  node.textContent = text;
  node.className = kind || "";
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(apiKey ? { ...body, api_key: apiKey } : body),
  };
  const response = await fetch(path, init);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

// --- the document list ---------------------------------------------------------------------

async function start() {
  try {
    state.index = await api("/review/api/index");
  } catch (e) {
    status(`cannot load the review: ${e.message}`, "error");
    return;
  }
  $("result").textContent = state.index.result;
  const report = state.index.report;
  if (report) {
    const issues = Object.entries(report.issues_by_kind || {}).map(([k, n]) => `${n} ${k}`);
    const dups = Object.entries(report.duplicates_by_kind || {}).map(([k, n]) => `${n} ${k}`);
    $("summary").textContent =
      `${report.items} item(s) · ${report.sentences_translated} sentences translated · ` +
      `term usage ${Math.round(100 * report.term_usage_rate)}% · issues: ${issues.join(", ") || "none"}` +
      ` · duplicates: ${dups.join(", ") || "none"}`;
  }
  const nav = $("documents");
  for (const d of state.index.documents) {
    nav.append(el("a", { href: `#d${d.index}`, id: `nav-${d.index}`, onclick: (event) => {
      event.preventDefault();
      openDocument(d.index);
    } }, d.id, el("span", { class: "counts" },
      `${d.sentences} translated · ${d.issues} issue(s) · ${d.duplicates} duplicate(s)`)));
  }
  for (const path of state.index.glossaries) {
    $("term-glossary").append(el("option", { value: String($("term-glossary").length) }, path));
  }
  const first = Number((location.hash.match(/^#d(\d+)/) || [0, 0])[1]);
  await openDocument(first < state.index.documents.length ? first : 0);
}

async function openDocument(index, unit) {
  try {
    const doc = await api(`/review/api/documents/${index}`);
    show(doc, 0);
  } catch (e) {
    status(`cannot load document ${index}: ${e.message}`, "error");
    return;
  }
  history.replaceState(null, "", `#d${index}`);
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("current", a.id === `nav-${index}`);
  if (unit) flash(unit);
}

// --- one document ------------------------------------------------------------------------

function show(doc, current) {
  state.doc = doc;
  state.editing = false;
  const main = $("document");
  main.replaceChildren(el("h2", {}, doc.id),
    el("div", { class: "grid-head" }, el("span", {}, "¶"),
      el("span", {}, `source (${state.index.pair[0]})`),
      el("span", {}, `translation (${state.index.pair[1]})`)));
  for (const row of doc.rows) main.append(row.removed ? removedRow(row) : keptRow(doc, row));
  if (!doc.rows.length) main.append(el("p", { class: "empty" }, "Nothing kept in this document."));
  select(Math.min(current, Math.max(doc.sentences.length - 1, 0)), false);
}

function unitId(documentIndex, unit) {
  return `u-${documentIndex}-${unit.split("#").pop()}`;
}

function link(target, text) {
  return el("a", { href: "#", onclick: (event) => {
    event.preventDefault();
    const doc = target.of_document;
    if (doc === null || doc === undefined) return;
    if (doc === state.doc.index) flash(unitId(doc, target.of));
    else openDocument(doc, unitId(doc, target.of));
  } }, text);
}

function describe(dup) {
  const kind = dup.paraphrase ? "paraphrase" : dup.kind;
  return `${kind}, similarity ${dup.score}`;
}

function removedRow(row) {
  return el("div", { class: "row removed", id: unitId(state.doc.index, row.unit) },
    el("span", { class: "unit" }, `¶ ${row.unit.split("#").pop()}`),
    el("span", { class: "side" }, row.text),
    el("span", { class: "side" }, "removed: ", link(row, `duplicate of ¶ ${row.of.split("#").pop()}`), ` (${describe(row)})`));
}

function keptRow(doc, row) {
  const node = el("div", { class: "row", id: unitId(doc.index, row.unit) },
    el("span", { class: "unit" }, `¶ ${row.unit.split("#").pop()}`),
    side(doc, "source", row.source), side(doc, "target", row.target));
  for (const s of row.summary_of) {
    node.append(el("span", { class: "note" }, "kept: it says more than ",
      link(s, `¶ ${s.of.split("#").pop()}`), `, which repeats it (${describe(s)})`));
  }
  const inRow = doc.sentences.filter((s) => s.source[0] >= row.source[0] && s.source[1] <= row.source[1]);
  const badges = [];
  for (const s of inRow) {
    for (const issue of s.issues) {
      badges.push(el("span", { class: "badge", "data-n": String(s.n) }, `${issue.kind}: ${issue.detail}`));
    }
    if (s.how === "human") badges.push(el("span", { class: "badge human", "data-n": String(s.n) }, "reviewed"));
  }
  if (badges.length) node.append(el("span", { class: "badges" }, ...badges));
  return node;
}

// A side of a row: its text cut at every sentence and mark boundary, each piece a <span>
// with the classes of what covers it.
function side(doc, which, span) {
  const text = which === "source" ? doc.source : doc.target;
  let [start, end] = span;
  while (end > start && /\s/.test(text[end - 1])) end -= 1;
  const sentences = doc.sentences.filter((s) => s[which][0] < end && s[which][1] > start);
  const marks = doc.marks.filter((m) => m.side === which && m.start < end && m.end > start);
  const cuts = new Set([start, end]);
  for (const s of sentences) cuts.add(s[which][0]).add(s[which][1]);
  for (const m of marks) cuts.add(m.start).add(m.end);
  const points = [...cuts].filter((p) => p >= start && p <= end).sort((a, b) => a - b);
  const node = el("span", { class: "side", lang: which === "source" ? state.index.pair[0] : state.index.pair[1] });
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    if (a === b) continue;
    const sentence = sentences.find((s) => s[which][0] <= a && b <= s[which][1]);
    const covering = marks.filter((m) => m.start <= a && b <= m.end);
    const classes = [...new Set(covering.map((m) => m.kind))];
    if (sentence) classes.push("s", `how-${sentence.how}`);
    const piece = el("span", {
      class: classes.join(" ") || null,
      "data-n": sentence ? String(sentence.n) : null,
      "data-side": which,
      title: covering.map((m) => m.title).join("\n") || null,
    }, text.slice(a, b));
    if (sentence) piece.addEventListener("click", () => select(sentence.n, false));
    node.append(piece);
  }
  return node;
}

function select(n, scroll = true) {
  if (!state.doc || !state.doc.sentences.length) return;
  state.current = Math.max(0, Math.min(n, state.doc.sentences.length - 1));
  for (const node of document.querySelectorAll(".s.current, .badge.current-issue")) {
    node.classList.remove("current", "current-issue");
  }
  const nodes = document.querySelectorAll(`.s[data-n="${state.current}"]`);
  for (const node of nodes) node.classList.add("current");
  for (const node of document.querySelectorAll(`.badge[data-n="${state.current}"]`)) node.classList.add("current-issue");
  if (scroll && nodes.length) nodes[0].scrollIntoView({ block: "center", behavior: "smooth" });
  const s = state.doc.sentences[state.current];
  status(`sentence ${state.current + 1} of ${state.doc.sentences.length} · ${s.how}` +
    (s.issues.length ? ` · ${s.issues.map((i) => i.kind).join(", ")}` : ""));
}

function flash(id) {
  const node = document.getElementById(id);
  if (!node) return;
  node.scrollIntoView({ block: "center" });
  node.classList.remove("flash");
  void node.offsetWidth;
  node.classList.add("flash");
}

function nextIssue(step) {
  const withIssues = state.doc.sentences.filter((s) => s.issues.length).map((s) => s.n);
  if (!withIssues.length) return status("no issues in this document");
  const later = step > 0 ? withIssues.filter((n) => n > state.current) : withIssues.filter((n) => n < state.current).reverse();
  select(later.length ? later[0] : (step > 0 ? withIssues[0] : withIssues[withIssues.length - 1]));
}

// --- accepting and editing ---------------------------------------------------------------

function currentTranslation() {
  const s = state.doc.sentences[state.current];
  return state.doc.target.slice(s.target[0], s.target[1]);
}

async function save(translation) {
  const n = state.current;
  try {
    const doc = await api("/review/api/accept", { document: state.doc.index, sentence: n, translation });
    show(doc, n);
    status(`sentence ${n + 1}: kept in the memory as a person's translation`, "ok");
  } catch (e) {
    status(`not saved: ${e.message}`, "error");
  }
}

function edit() {
  if (!state.doc.sentences.length || state.editing) return;
  const pieces = document.querySelectorAll(`.s[data-n="${state.current}"][data-side="target"]`);
  if (!pieces.length) return;
  state.editing = true;
  const box = el("textarea", { class: "edit", "aria-label": "translation" });
  box.value = currentTranslation();
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      save(box.value);
    } else if (event.key === "Escape") {
      event.preventDefault();
      show(state.doc, state.current);
      status("edit cancelled");
    }
    event.stopPropagation();
  });
  pieces[0].replaceWith(box);
  for (const piece of [...pieces].slice(1)) piece.remove();
  box.focus();
  status("editing: Ctrl+Enter saves to the memory, Esc cancels");
}

// --- adding a term -----------------------------------------------------------------------

function addTerm() {
  if (!state.index.glossaries.length) {
    return status("no glossary file to add to: start the server with --glossary ./terms.tsv", "error");
  }
  const selection = window.getSelection();
  const text = selection ? selection.toString().trim() : "";
  let which = null;
  if (text && selection.anchorNode) {
    const holder = selection.anchorNode.parentElement && selection.anchorNode.parentElement.closest("[data-side], .side");
    which = holder ? (holder.dataset.side || null) : null;
  }
  const sourceIsChinese = state.index.pair[0] === "zh";
  $("term-zh").value = "";
  $("term-en").value = "";
  $("term-note").value = "";
  $("term-error").textContent = "";
  if (text) {
    const chinese = (which === "source") === sourceIsChinese;
    $(chinese ? "term-zh" : "term-en").value = text;
  }
  $("term-dialog").showModal();
  ($("term-zh").value ? $("term-en") : $("term-zh")).focus();
}

$("term-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const added = await api("/review/api/terms", {
      zh: $("term-zh").value, en: $("term-en").value, note: $("term-note").value,
      glossary: Number($("term-glossary").value),
    });
    $("term-dialog").close();
    status(`added ${added.zh} → ${added.en} to ${added.glossary}`, "ok");
  } catch (e) {
    $("term-error").textContent = e.message;
  }
});
$("term-cancel").addEventListener("click", () => $("term-dialog").close());
$("help-button").addEventListener("click", () => $("help-dialog").showModal());

// --- the keyboard ------------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (document.querySelector("dialog[open]") || state.editing || !state.doc) return;
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
  const docs = state.index.documents.length;
  const actions = {
    j: () => select(state.current + 1), ArrowDown: () => select(state.current + 1),
    k: () => select(state.current - 1), ArrowUp: () => select(state.current - 1),
    n: () => nextIssue(1), p: () => nextIssue(-1),
    "]": () => openDocument((state.doc.index + 1) % docs),
    "[": () => openDocument((state.doc.index + docs - 1) % docs),
    a: () => state.doc.sentences.length && save(currentTranslation()),
    e: edit, Enter: edit, t: addTerm,
    "?": () => $("help-dialog").showModal(),
  };
  const action = actions[event.key];
  if (action) {
    event.preventDefault();
    action();
  }
});

start();
