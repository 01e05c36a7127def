// The self-check page: loads triagem's chain (WebAssembly, embedded in triagem-wasm.js so
// that no fetch is needed: the CSP forbids every connection) and shows its verdict.
// Nothing typed, pasted or opened here leaves the browser.
"use strict";
(function () {
  let draft = ""; // the case draft of the last verdict, for its download button
  const T = {
    "pt-BR": {
      title: "Verificação da requisição — API de parceiros CrefazOn",
      intro: "Cole a requisição que falhou (curl, PowerShell, HAR, HTTP ou arquivo de caso). Tudo é verificado neste navegador: nada é enviado a lugar nenhum, nem o token, nem a API Key, nem os dados do cliente.",
      loading: "Carregando o verificador…",
      ready: "Verificador pronto em {ms} ms. Nada sai deste navegador.",
      loadFailed: "O verificador não carregou: {err}",
      langLegend: "Idioma",
      pasteLabel: "Requisição colada",
      pasteHelp: "No Chrome: DevTools › Network › botão direito na requisição › Copy › Copy as cURL, Copy as PowerShell ou Save all as HAR.",
      fileLabel: "Ou abra um arquivo HAR ou de caso (lido só neste navegador)",
      kindLabel: "Tipo", kindAuto: "Detectar", kindCase: "Arquivo de caso",
      atLabel: "Quando foi enviada (opcional)",
      atHelp: "Hora de Brasília, se a colagem não disser.",
      entryLabel: "Entrada do HAR (opcional)",
      run: "Verificar",
      resultTitle: "Resultado",
      categoryLabel: "Diagnóstico:",
      wrongTitle: "O que está errado",
      fixTitle: "Como corrigir",
      ticketTitle: "Texto para o chamado (sem segredos)",
      copy: "Copiar o texto do chamado",
      download: "Baixar o texto do chamado",
      downloadDraft: "Baixar o caso para anexar (caso.yaml)",
      copied: "Copiado.",
      copyFailed: "Não foi possível copiar: selecione o texto e copie.",
      nothingWrong: "Nenhum problema encontrado na requisição.",
      empty: "Cole uma requisição ou abra um arquivo primeiro.",
    },
    en: {
      title: "Request check — CrefazOn partner API",
      intro: "Paste the failing request (curl, PowerShell, HAR, HTTP or a case file). Everything is checked in this browser: nothing is sent anywhere, not the token, not the API key, not the customer's data.",
      loading: "Loading the checker…",
      ready: "Checker ready in {ms} ms. Nothing leaves this browser.",
      loadFailed: "The checker did not load: {err}",
      langLegend: "Language",
      pasteLabel: "Pasted request",
      pasteHelp: "In Chrome: DevTools › Network › right-click the request › Copy › Copy as cURL, Copy as PowerShell, or Save all as HAR.",
      fileLabel: "Or open a HAR or case file (read only in this browser)",
      kindLabel: "Kind", kindAuto: "Detect", kindCase: "Case file",
      atLabel: "When it was sent (optional)",
      atHelp: "Brasília time, when the paste does not say.",
      entryLabel: "HAR entry (optional)",
      run: "Check",
      resultTitle: "Result",
      categoryLabel: "Diagnosis:",
      wrongTitle: "What is wrong",
      fixTitle: "How to fix it",
      ticketTitle: "Text for the ticket (no secrets)",
      copy: "Copy the ticket text",
      download: "Download the ticket text",
      downloadDraft: "Download the case to attach (caso.yaml)",
      copied: "Copied.",
      copyFailed: "Could not copy: select the text and copy it.",
      nothingWrong: "No problem found in the request.",
      empty: "Paste a request or open a file first.",
    },
  };
  const $ = (id) => document.getElementById(id);
  let readyMs = null;
  let last = null;

  function lang() { return document.querySelector("input[name=lang]:checked").value; }
  function t(key, args) {
    let s = T[lang()][key] || T["pt-BR"][key];
    for (const k in args || {}) s = s.replace("{" + k + "}", args[k]);
    return s;
  }
  function applyLang() {
    document.documentElement.lang = lang();
    document.querySelectorAll("[data-i18n]").forEach((el) => {
      const key = el.dataset.i18n;
      if (key === "loading" && $("status").dataset.state !== "loading") return;
      el.textContent = t(key);
    });
    if (readyMs !== null) $("status").textContent = t("ready", { ms: readyMs });
    if (last && !$("result").hidden) check(); // the verdict in the new language
  }

  async function load() {
    const start = performance.now();
    try {
      // The module is gzip-compressed and base64-encoded in triagem-wasm.js: decoded here.
      const bin = atob(globalThis.TRIAGEM_WASM_GZ);
      const gz = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) gz[i] = bin.charCodeAt(i);
      const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
      const bytes = await new Response(stream).arrayBuffer();
      const go = new Go();
      const ready = new Promise((resolve) => addEventListener("triagem-ready", resolve, { once: true }));
      const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
      go.run(instance);
      await ready;
      readyMs = Math.round(performance.now() - start);
      $("status").dataset.state = "ready";
      $("status").dataset.ms = String(readyMs);
      $("status").textContent = t("ready", { ms: readyMs });
      $("run").disabled = false;
    } catch (err) {
      $("status").dataset.state = "error";
      $("status").textContent = t("loadFailed", { err: String(err) });
    }
  }

  function check() {
    const text = $("paste").value;
    $("result").hidden = false;
    if (!text.trim()) {
      show({ error: t("empty") });
      return;
    }
    const opts = { lang: lang(), kind: $("kind").value, at: $("at").value.trim() };
    const entry = parseInt($("entry").value, 10);
    if (entry > 0) opts.entry = entry;
    const started = performance.now();
    const out = JSON.parse(globalThis.triagemCheck(text, JSON.stringify(opts)));
    $("result").dataset.ms = String(Math.round(performance.now() - started));
    show(out);
  }

  function show(out) {
    last = out;
    $("error").hidden = !out.error;
    $("error").textContent = out.error || "";
    $("verdict").hidden = !out.verdict;
    $("result").dataset.category = out.verdict ? out.verdict.category : "";
    if (!out.verdict) return;
    const v = out.verdict;
    $("category").textContent = out.category_label || v.category;
    $("category").dataset.category = v.category;
    const list = $("problems");
    list.replaceChildren();
    for (const c of v.checks || []) {
      if (c.status !== "fail" && c.status !== "warn") continue;
      const li = document.createElement("li");
      li.className = c.status;
      li.textContent = c.message;
      list.append(li);
    }
    if (!list.children.length) {
      const li = document.createElement("li");
      li.className = "ok";
      li.textContent = t("nothingWrong");
      list.append(li);
    }
    $("reply").textContent = out.reply || "";
    $("crefazon").textContent = out.crefazon_only || "";
    $("ticket").textContent = out.ticket || "";
    draft = out.draft || "";
    $("downloadDraft").disabled = draft === "";
    $("copied").textContent = "";
  }

  async function copyTicket() {
    const text = $("ticket").textContent;
    try {
      await navigator.clipboard.writeText(text);
      $("copied").textContent = t("copied");
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents($("ticket"));
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      $("copied").textContent = document.execCommand("copy") ? t("copied") : t("copyFailed");
    }
  }

  // save writes a file in the browser (a blob: URL made here): nothing is sent.
  function save(text, type, name) {
    const url = URL.createObjectURL(new Blob([text], { type: type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function downloadTicket() { save($("ticket").textContent, "text/markdown", "chamado-triagem.md"); }

  function downloadDraft() { if (draft) save(draft, "application/yaml", "caso.yaml"); }

  function openFile(ev) {
    const f = ev.target.files[0];
    if (!f) return;
    f.text().then((text) => {
      $("paste").value = text;
      if (/\.har$/i.test(f.name)) $("kind").value = "har";
    });
  }

  $("form").addEventListener("submit", (ev) => { ev.preventDefault(); check(); });
  document.querySelectorAll("input[name=lang]").forEach((r) => r.addEventListener("change", applyLang));
  $("copy").addEventListener("click", copyTicket);
  $("download").addEventListener("click", downloadTicket);
  $("downloadDraft").addEventListener("click", downloadDraft);
  $("file").addEventListener("change", openFile);
  applyLang();
  load();
})();
