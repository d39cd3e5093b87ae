/*
 * Onderwijsloket chat widget: the brede intake on any regional website.
 *
 * Embed with ONE tag (no build step, no dependencies):
 *   <script src="https://loket.example/widget.js" data-loket-base="https://loket.example"
 *           data-lang="nl" data-color="#0b5cad" async></script>
 * data-lang (nl, en, ar, uk, tr) is the language a new chat starts in, unless the person chose one in the
 * language menu before; without it, the browser's first language the loket speaks (else Dutch). Arabic turns
 * the whole widget right to left (dir="rtl" on its root). The widget's own words come from the server
 * (GET /api/v1/widget/texts, i.e. knowledge/texts/widget.yaml); only a few are built in, for when that fails.
 * Add data-flow="loopbaangesprek" to open the loopbaangesprek chat (a teacher asks for a career
 * conversation) instead of the brede intake; without it, the intake's first screen offers that chat too.
 *
 * Safety rule for this file: text from people and from the server is only ever inserted with
 * textContent / createTextNode, never as HTML, so a message can never become markup or script.
 */
(function () {
  "use strict";

  if (window.__loketWidget) {
    return; // embedded twice on one page: one widget is enough
  }
  window.__loketWidget = true;

  // The widget's own words come from the server (GET /api/v1/widget/texts, from knowledge/texts/widget.yaml),
  // in every chat language. Only this much is built in, for when that request fails: enough to say so.
  var FALLBACK = {
    nl: {
      launcher: "Chat met het Onderwijsloket",
      title: "Onderwijsloket",
      close: "Sluiten",
      inputLabel: "Typ je antwoord",
      send: "Verstuur",
      offline: "Er is nu geen verbinding. Je bericht is niet verloren. Controleer je internet en probeer het opnieuw.",
      retry: "Probeer opnieuw",
      error: "Er ging iets mis. Probeer het nog een keer.",
      languageMenu: "Taal / Language"
    },
    en: {
      launcher: "Chat with the Onderwijsloket",
      title: "Onderwijsloket",
      close: "Close",
      inputLabel: "Type your answer",
      send: "Send",
      offline: "There is no connection right now. Your message is not lost. Check your internet and try again.",
      retry: "Try again",
      error: "Something went wrong. Please try again.",
      languageMenu: "Language / Taal"
    }
  };
  // The chat languages, each named in itself; replaced by the server's list (knowledge/languages.yaml).
  var LANGUAGES = [
    { code: "nl", name: "Nederlands", direction: "ltr", reviewed: true },
    { code: "en", name: "English", direction: "ltr", reviewed: true },
    { code: "ar", name: "العربية", direction: "rtl", reviewed: false },
    { code: "uk", name: "Українська", direction: "ltr", reviewed: false },
    { code: "tr", name: "Türkçe", direction: "ltr", reviewed: false }
  ];
  // For dates and numbers (Intl): Arabic with the Gregorian calendar and the digits 0-9, as the server writes them.
  var LOCALES = { nl: "nl-NL", en: "en-GB", ar: "ar-u-nu-latn", uk: "uk-UA", tr: "tr-TR" };
  var TEXTS = {}; // language -> key -> text, once loaded
  var FIT_ICON = { yes: "✓", maybe: "?", no: "✗" };

  // ------------------------------------------------------------------ configuration

  var script = document.currentScript || document.querySelector("script[data-loket-base]");
  var dataset = (script && script.dataset) || {};
  var BASE = (dataset.loketBase || (script && script.src ? new URL(script.src, location.href).origin : location.origin))
    .replace(/\/+$/, "");
  var STORE_KEY = "loket-widget:" + BASE;
  var GESPREK = "loopbaangesprek";
  // The flow a new chat starts with; a stored chat keeps its own flow (store.flow).
  var START_FLOW = dataset.flow === GESPREK ? GESPREK : "intake";

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function loadStore() {
    try {
      return JSON.parse(localStorage.getItem(STORE_KEY) || "{}") || {};
    } catch (e) {
      return {}; // storage blocked or corrupt: the widget still works, only without reload memory
    }
  }

  function saveStore() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(store));
    } catch (e) {
      /* private mode or full storage: nothing to do */
    }
  }

  function known(code) {
    for (var i = 0; i < LANGUAGES.length; i++) {
      if (LANGUAGES[i].code === code) return LANGUAGES[i];
    }
    return null;
  }

  // "ar-SY" -> "ar", "uk_UA" -> "uk"; null for a language the loket does not speak.
  function baseLanguage(tag) {
    var code = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return known(code) ? code : null;
  }

  // The first language: the one of the chat being continued; else the person's own choice from the language
  // menu on an earlier visit; else the site's data-lang; else the first of the browser's languages that the
  // loket speaks; else Dutch. (A stored chat's Turn has the final say: the widget follows its language.)
  function pickLanguage(stored) {
    if (stored.session_id && baseLanguage(stored.language)) return baseLanguage(stored.language);
    if (baseLanguage(stored.chosen)) return baseLanguage(stored.chosen);
    if (baseLanguage(dataset.lang)) return baseLanguage(dataset.lang);
    var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (var i = 0; i < wanted.length; i++) {
      if (baseLanguage(wanted[i])) return baseLanguage(wanted[i]);
    }
    return "nl";
  }

  var store = loadStore();
  var lang = pickLanguage(store);

  function t(key) {
    var own = (TEXTS[lang] && TEXTS[lang][key]) || (TEXTS.en && TEXTS.en[key]);
    if (own) return own;
    var builtIn = FALLBACK[lang] || FALLBACK.en;
    return builtIn[key] || FALLBACK.en[key] || "";
  }

  function direction(code) {
    var info = known(code);
    return info && info.direction === "rtl" ? "rtl" : "ltr";
  }

  function locale() {
    return LOCALES[lang] || lang;
  }

  function loadTexts() {
    return fetch(BASE + "/api/v1/widget/texts", { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("widget texts: " + response.status);
        return response.json();
      })
      .then(function (data) {
        var languages = ((data && data.languages) || []).filter(function (l) {
          return l && typeof l.code === "string" && typeof l.name === "string";
        });
        if (languages.length) LANGUAGES = languages;
        TEXTS = (data && data.texts) || {};
        if (!known(lang)) lang = "nl";
        return true;
      })
      .catch(function () {
        return false; // the built-in words will do; every chat text comes from the server anyway
      });
  }

  // ------------------------------------------------------------------ colours (WCAG AA whatever the site picks)

  function parseHex(value) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value || "").trim());
    if (!m) return null;
    var hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    return [0, 2, 4].map(function (i) { return parseInt(hex.substr(i, 2), 16); });
  }

  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function toHex(rgb) {
    return "#" + rgb.map(function (v) { return ("0" + Math.round(v).toString(16)).slice(-2); }).join("");
  }

  // A site colour too light for white text (or for text on white) is darkened until it reaches 4.5:1.
  function accessibleColour(value) {
    var rgb = parseHex(value) || parseHex("#0b5cad");
    var white = [255, 255, 255];
    for (var i = 0; i < 40 && contrast(rgb, white) < 4.6; i++) {
      rgb = rgb.map(function (v) { return v * 0.92; });
    }
    return toHex(rgb);
  }

  // ------------------------------------------------------------------ small DOM helpers (text only, never HTML)

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  var idCounter = 0;
  function uid(prefix) {
    idCounter += 1;
    return "loket-" + prefix + "-" + idCounter;
  }

  function newMessageId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    // Older browsers: random enough to keep one person's messages apart, which is all the server needs.
    return "m-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  // ------------------------------------------------------------------ API

  function ApiError(status, detail, code) {
    this.status = status;
    this.detail = detail;
    this.code = code;
  }

  function api(method, path, body) {
    var headers = { Accept: "application/json", "Accept-Language": lang };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (store.token) headers.Authorization = "Bearer " + store.token;
    return fetch(BASE + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store"
    }).then(
      function (response) {
        return response.text().then(function (raw) {
          var data = null;
          try {
            data = raw ? JSON.parse(raw) : null;
          } catch (e) {
            data = null;
          }
          if (!response.ok) {
            var detail = data && typeof data.detail === "string" ? data.detail : t("error");
            throw new ApiError(response.status, detail, data && data.code);
          }
          return data;
        });
      },
      function () {
        throw new ApiError(0, t("offline"), "offline");
      }
    );
  }

  // ------------------------------------------------------------------ building the widget

  var colour = accessibleColour(dataset.color);
  var root = el("div", { className: "loket-root", "data-loket-widget": "" });
  root.style.setProperty("--loket-color", colour);

  var launcherLabel = el("span", { text: t("launcher") });
  var launcher = el("button", { type: "button", className: "loket-launcher", "aria-expanded": "false" }, [
    el("span", { className: "loket-launcher-icon", "aria-hidden": "true", text: "💬" }),
    launcherLabel
  ]);

  var titleId = uid("title");
  var panel = el("div", { className: "loket-panel", role: "dialog", "aria-labelledby": titleId, id: uid("panel") });
  panel.hidden = true;
  launcher.setAttribute("aria-controls", panel.id);

  var title = el("h2", { className: "loket-title", id: titleId, text: t("title") });
  var subtitle = el("p", { className: "loket-subtitle", text: t("subtitle") });
  var closeButton = el("button", { type: "button", className: "loket-close" }, [
    el("span", { "aria-hidden": "true", text: "×" }),
    el("span", { className: "loket-sr-only" })
  ]);
  // The language menu: every chat language, named in itself, always in view (a globe for those who read
  // none of the words); the group's name says "Taal / Language" in the chat language and in a second one.
  var langLabel = el("span", { className: "loket-sr-only", id: uid("langs") });
  var langBar = el("div", { className: "loket-langs", role: "group", "aria-labelledby": langLabel.id });
  var langButtons = {};
  var header = el("div", { className: "loket-header" }, [
    el("div", { className: "loket-heading" }, [title, subtitle]),
    el("div", { className: "loket-header-actions" }, [closeButton]),
    langBar
  ]);

  function globeIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    [["viewBox", "0 0 24 24"], ["width", "16"], ["height", "16"], ["aria-hidden", "true"], ["focusable", "false"],
      ["class", "loket-globe"]].forEach(function (a) { svg.setAttribute(a[0], a[1]); });
    ["M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20z", "M2 12h20", "M12 2c3 3 4 6.5 4 10s-1 7-4 10c-3-3-4-6.5-4-10s1-7 4-10z"]
      .forEach(function (d) {
        var path = document.createElementNS(ns, "path");
        path.setAttribute("d", d);
        svg.appendChild(path);
      });
    return svg;
  }

  function buildLanguageMenu() {
    clear(langBar);
    langButtons = {};
    langBar.appendChild(globeIcon());
    langBar.appendChild(langLabel);
    LANGUAGES.forEach(function (info) {
      var button = el("button", { type: "button", className: "loket-lang", lang: info.code,
        dir: info.direction === "rtl" ? "rtl" : "ltr", "data-lang": info.code, text: info.name });
      button.addEventListener("click", function () { chooseLanguage(info.code); });
      langButtons[info.code] = button;
      langBar.appendChild(button);
    });
  }

  var codeBox = el("p", { className: "loket-code" });
  codeBox.hidden = true;
  // Above the chat in a language no native speaker has checked yet (knowledge/languages.yaml: reviewed).
  var langNote = el("p", { className: "loket-lang-note" });
  langNote.hidden = true;
  var messages = el("ol", { className: "loket-messages" });
  var typing = el("p", { className: "loket-typing" }, [
    el("span", { className: "loket-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    el("span", { className: "loket-typing-text" })
  ]);
  typing.hidden = true;
  // Scrollable, so it must be reachable by keyboard; a plain region (no implicit live announcements).
  var scroller = el("div", { className: "loket-scroll", tabindex: "0", role: "region" }, [langNote, codeBox, messages, typing]);

  // The ONE live region: new bot messages (and the widget's own notices) are announced here, politely.
  var live = el("div", { className: "loket-sr-only", "aria-live": "polite", "aria-atomic": "true" });

  var replies = el("div", { className: "loket-replies", role: "group" });
  var dialogArea = el("div", { className: "loket-inline" });
  dialogArea.hidden = true;
  // Before consent in the brede intake: a teacher can ask for the loopbaangesprek chat instead.
  var gesprekButton = el("button", { type: "button", className: "loket-reply loket-flow-switch" });
  var flowChoice = el("div", { className: "loket-flow-choice" }, [gesprekButton]);
  flowChoice.hidden = true;

  var inputId = uid("input");
  var inputLabel = el("label", { className: "loket-sr-only", for: inputId });
  var input = el("input", { id: inputId, type: "text", className: "loket-input", autocomplete: "off",
    maxlength: "4000", enterkeyhint: "send" });
  var sendButton = el("button", { type: "submit", className: "loket-send" });
  // Honeypot for bots: invisible, unreachable by keyboard, hidden from screen readers.
  var honeypot = el("input", { type: "text", name: "website", tabindex: "-1", autocomplete: "off",
    "aria-hidden": "true", id: uid("website") });
  var honeypotLabel = el("label", { for: honeypot.id });
  var form = el("form", { className: "loket-form", novalidate: true }, [
    inputLabel,
    input,
    sendButton,
    el("div", { className: "loket-hp", "aria-hidden": "true" }, [honeypotLabel, honeypot])
  ]);

  var restartButton = el("button", { type: "button", className: "loket-link" });
  var resumeButton = el("button", { type: "button", className: "loket-link" });
  var eraseButton = el("button", { type: "button", className: "loket-link" });
  var tools = el("div", { className: "loket-tools" }, [restartButton, resumeButton, eraseButton]);

  panel.appendChild(header);
  panel.appendChild(scroller);
  panel.appendChild(dialogArea);
  panel.appendChild(replies);
  panel.appendChild(flowChoice);
  panel.appendChild(form);
  panel.appendChild(tools);
  panel.appendChild(live);
  root.appendChild(panel);
  root.appendChild(launcher);

  // ------------------------------------------------------------------ state

  var started = false; // a session was started or restored in this page
  var busy = false;
  var pending = null; // {text, id}: the message to send again after a network error
  var expecting = null;
  var conditionLabels = {};
  var conditionLabelsLang = null;

  function applyLanguage() {
    // The whole widget reads in the chat language: its lang, and its direction (Arabic right to left).
    root.setAttribute("lang", lang);
    root.setAttribute("dir", direction(lang));
    langLabel.textContent = t("languageMenu");
    Object.keys(langButtons).forEach(function (code) {
      langButtons[code].setAttribute("aria-pressed", code === lang ? "true" : "false");
    });
    var info = known(lang);
    langNote.textContent = info && info.reviewed === false ? t("notReviewed") : "";
    langNote.hidden = !langNote.textContent;
    launcherLabel.textContent = t("launcher");
    title.textContent = t("title");
    subtitle.textContent = isGesprek() ? t("gesprekSubtitle") : t("subtitle");
    gesprekButton.textContent = t("gesprekOffer");
    closeButton.lastChild.textContent = t("close");
    closeButton.setAttribute("title", t("close"));
    scroller.setAttribute("aria-label", t("conversation"));
    typing.lastChild.textContent = t("typing");
    inputLabel.textContent = t("inputLabel");
    input.setAttribute("placeholder", t("placeholder"));
    sendButton.textContent = t("send");
    honeypotLabel.textContent = t("honeypot");
    restartButton.textContent = t("restart");
    resumeButton.textContent = t("resumeOpen");
    eraseButton.textContent = t("erase");
    replies.setAttribute("aria-label", t("replies"));
    showCode();
    updateFlowUi();
  }

  // ------------------------------------------------------------------ the two flows (brede intake, loopbaangesprek)

  function isGesprek() {
    return store.flow === GESPREK;
  }

  // The API path of the current chat: the loopbaangesprek chat has the same Turn shape on its own endpoints.
  function chatPath(rest) {
    var base = isGesprek() ? "/api/v1/loopbaangesprek/chat/" : "/api/v1/intake/";
    return base + encodeURIComponent(store.session_id) + (rest || "");
  }

  function updateFlowUi() {
    var gesprek = isGesprek();
    // The loopbaangesprek chat has no resume code and no erase endpoint: those tools belong to the intake.
    resumeButton.hidden = gesprek;
    eraseButton.hidden = gesprek;
    flowChoice.hidden = gesprek || !expecting || expecting.kind !== "consent" || !t("gesprekOffer");
    // Without the server's texts (a failed request) the tools would be nameless buttons: leave them out.
    tools.hidden = !t("restart");
  }

  function startGesprek() {
    if (busy) return;
    forgetSession();
    resetView();
    startSession(GESPREK);
  }

  function showGesprekConfirmation(info) {
    var item = el("li", { className: "loket-msg loket-msg-confirm" });
    item.appendChild(el("h3", { className: "loket-confirm-title", text: t("gesprekSent") }));
    var day = info && /^\d{4}-\d{2}-\d{2}$/.test(String(info.beloofd_contact_op || ""))
      ? new Date(info.beloofd_contact_op + "T12:00:00Z") : null;
    if (day && !isNaN(day.getTime())) {
      var shown = day.toLocaleDateString(locale(),
        { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
      item.appendChild(el("p", { className: "loket-confirm-date", text: fmt(t("gesprekDate"), { date: shown }) }));
    }
    var toIntake = el("button", { type: "button", className: "loket-reply", text: t("gesprekIntake") });
    toIntake.addEventListener("click", function () {
      if (busy) return;
      forgetSession();
      resetView();
      startSession("intake");
    });
    item.appendChild(toIntake);
    messages.appendChild(item);
    scrollToEnd();
  }

  function announce(text) {
    // Emptying first makes a screen reader announce the same sentence twice if it comes twice.
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    scroller.setAttribute("aria-busy", value ? "true" : "false");
    if (value) scrollToEnd();
  }

  function focusInput() {
    if (!panel.hidden) input.focus();
  }

  // ------------------------------------------------------------------ messages

  // ``language``: the language the text is in (a bot message of a Turn); without it (what a person typed, the
  // history after a reload) the text's own first letters set its direction.
  function addMessage(way, text, language) {
    var who = way === "in" ? t("you") : t("bot");
    var item = el("li", { className: "loket-msg " + (way === "in" ? "loket-msg-in" : "loket-msg-out") }, [
      el("span", { className: "loket-sr-only", text: who + " " }),
      el("span", { className: "loket-msg-text", lang: language || null, dir: language ? direction(language) : "auto",
        text: text })
    ]);
    messages.appendChild(item);
    scrollToEnd();
    return item;
  }

  function addNotice(text, actions) {
    var item = el("li", { className: "loket-msg loket-msg-notice" }, [el("span", { text: text })]);
    (actions || []).forEach(function (action) {
      var button = el("button", { type: "button", className: "loket-reply", text: action.label });
      button.addEventListener("click", function () {
        focusInput(); // the button goes away; the focus must not fall back to the page
        item.removeChild(button);
        action.run();
      });
      item.appendChild(button);
    });
    messages.appendChild(item);
    scrollToEnd();
    announce(text);
    return item;
  }

  function replyButton(reply) {
    var button = el("button", { type: "button", className: "loket-reply", text: reply.label, "data-value": reply.value });
    button.addEventListener("click", function () {
      focusInput(); // the buttons are replaced by the next turn; the focus must not fall to the page
      send(reply.value, reply.label);
    });
    return button;
  }

  function renderReplies(turnMessages, expect) {
    clear(replies);
    var all = [];
    (turnMessages || []).forEach(function (m) {
      (m.quick_replies || []).forEach(function (r) { all.push(r); });
    });
    // The loopbaangesprek takes one topic per message and then "klaar": its buttons are plain answer buttons.
    if (expect && expect.kind === "multi_choice" && expect.choices && expect.choices.length && !isGesprek()) {
      renderMultiChoice(expect, all);
    } else {
      all.forEach(function (r) { replies.appendChild(replyButton(r)); });
    }
    replies.hidden = !replies.firstChild;
  }

  function renderMultiChoice(expect, all) {
    var values = {};
    expect.choices.forEach(function (c) { values[c.value] = true; });
    var legendId = uid("legend");
    var fieldset = el("fieldset", { className: "loket-multi" });
    fieldset.appendChild(el("legend", { id: legendId, text: t("chooseSeveral") }));
    var boxes = [];
    expect.choices.forEach(function (choice) {
      var id = uid("choice");
      var box = el("input", { type: "checkbox", id: id, value: choice.value });
      boxes.push(box);
      fieldset.appendChild(el("div", { className: "loket-check" }, [box, el("label", { for: id, text: choice.label })]));
    });
    var confirm = el("button", { type: "button", className: "loket-reply loket-primary", text: t("confirmChoice") });
    confirm.addEventListener("click", function () {
      var picked = boxes.filter(function (b) { return b.checked; });
      if (!picked.length) {
        announce(t("chooseFirst"));
        return;
      }
      var labels = picked.map(function (b) { return b.nextSibling.textContent; });
      focusInput();
      send(picked.map(function (b) { return b.value; }).join(","), labels.join(", "));
    });
    fieldset.appendChild(confirm);
    replies.appendChild(fieldset);
    // Buttons such as "geen van deze" or "weet ik niet" stay ordinary answer buttons.
    all.filter(function (r) { return !values[r.value]; }).forEach(function (r) {
      replies.appendChild(replyButton(r));
    });
  }

  function showCode() {
    clear(codeBox);
    if (!store.resumeCode) {
      codeBox.hidden = true;
      return;
    }
    codeBox.appendChild(document.createTextNode(t("codeInfo") + " "));
    codeBox.appendChild(el("strong", { dir: "ltr", text: store.resumeCode })); // K7QM-2XPD reads left to right
    if (store.expiresAt) {
      var date = new Date(store.expiresAt);
      if (!isNaN(date.getTime())) {
        var day = date.toLocaleDateString(locale(),
          { day: "numeric", month: "long", year: "numeric" });
        codeBox.appendChild(document.createTextNode(" " + fmt(t("validUntil"), { date: day })));
      }
    }
    codeBox.hidden = false;
  }

  // Render one Turn. ``skipTexts`` leaves out messages already shown from the history after a reload.
  // ``keepLanguage``: the widget's words stay as they are (a loopbaangesprek chat the person reads in another
  // language than it speaks); otherwise the widget follows the language the Turn is in.
  function renderTurn(turn, skipTexts, keepLanguage) {
    if (!turn) return;
    var said = [];
    (turn.messages || []).forEach(function (m) {
      if (skipTexts && skipTexts.indexOf(m.text) !== -1) return;
      if (m.text) {
        addMessage("out", m.text, known(turn.language) ? turn.language : lang);
        said.push(m.text);
      }
    });
    expecting = turn.expecting || null;
    if (known(turn.language) && !keepLanguage) setLanguage(turn.language);
    if (turn.resume_code) {
      store.resumeCode = turn.resume_code;
      store.expiresAt = turn.expires_at || null;
      saveStore();
      showCode();
    }
    renderReplies(turn.messages, expecting);
    updateFlowUi();
    if (turn.loopbaangesprek) {
      showGesprekConfirmation(turn.loopbaangesprek);
      said.push(t("gesprekSent"));
    }
    if (turn.erased) {
      forgetSession();
      renderReplies([], null);
    }
    if (turn.advice) {
      renderAdvice(turn.advice);
      said.push(t("adviceReady"));
    }
    // The answer buttons take room from the conversation, so scroll again once they are in place.
    scrollToEnd();
    if (said.length) announce(said.join(" "));
  }

  function renderHistory(history) {
    var lastOut = [];
    (history || []).forEach(function (h) {
      addMessage(h.direction === "in" ? "in" : "out", h.text);
      lastOut = h.direction === "in" ? [] : lastOut.concat([h.text]);
    });
    return lastOut;
  }

  // ------------------------------------------------------------------ advice cards

  function loadConditionLabels() {
    if (conditionLabelsLang === lang) return Promise.resolve();
    var wanted = lang;
    return fetch(BASE + "/widget/conditions?lang=" + wanted, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (data) {
        conditionLabels = data || {};
        conditionLabelsLang = wanted;
      })
      .catch(function () { /* without labels the widget shows the condition ids; still readable */ });
  }

  function safeUrl(url) {
    return /^https?:\/\//i.test(String(url || "")) ? String(url) : null;
  }

  function hostOf(url) {
    try {
      return new URL(url).hostname.replace(/^www\./, "");
    } catch (e) {
      return url;
    }
  }

  function listOf(items, className) {
    var list = el("ul", { className: className || "loket-list" });
    items.forEach(function (item) {
      list.appendChild(item instanceof Node ? el("li", {}, [item]) : el("li", { text: String(item) }));
    });
    return list;
  }

  function fact(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    dl.appendChild(el("dt", { text: term }));
    dl.appendChild(value instanceof Node ? el("dd", {}, [value]) : el("dd", { text: String(value) }));
  }

  function durationText(range) {
    if (!range || range.length !== 2) return null;
    if (range[0] === range[1]) return fmt(t("monthsOne"), { n: range[0] });
    return fmt(t("months"), { min: range[0], max: range[1] });
  }

  function conditionItem(id) {
    var info = conditionLabels[id];
    if (!info) return document.createTextNode(id);
    var span = el("span", {}, [el("strong", { text: info.title })]);
    if (info.explanation) span.appendChild(document.createTextNode(" " + info.explanation));
    return span;
  }

  function sourceLinks(urls) {
    var links = [];
    (urls || []).forEach(function (url) {
      var href = safeUrl(url);
      if (!href) return;
      links.push(el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, [
        hostOf(href),
        el("span", { className: "loket-sr-only", text: " " + t("newWindow") })
      ]));
    });
    return links;
  }

  function routeCard(route) {
    var fit = route.fit === "yes" || route.fit === "maybe" ? route.fit : "no";
    var headingId = uid("route");
    var card = el("article", { className: "loket-card loket-route loket-route-" + fit, "aria-labelledby": headingId }, [
      el("div", { className: "loket-card-head" }, [
        el("h5", { id: headingId, className: "loket-card-title", text: route.title || route.id }),
        el("span", { className: "loket-badge loket-fit-" + fit }, [
          el("span", { "aria-hidden": "true", text: FIT_ICON[fit] + " " }),
          t("fit." + fit)
        ])
      ])
    ]);
    if (route.reasons && route.reasons.length) card.appendChild(listOf(route.reasons, "loket-reasons"));
    var dl = el("dl", { className: "loket-facts" });
    fact(dl, t("duration"), durationText(route.duration_months));
    if (route.income_while_learning === true || route.income_while_learning === false) {
      fact(dl, t("income"), route.income_while_learning ? t("incomeYes") : t("incomeNo"));
    }
    fact(dl, t("costs"), route.costs);
    if (route.conditions && route.conditions.length) fact(dl, t("conditions"), listOf(route.conditions.map(conditionItem)));
    if (route.institutions && route.institutions.length) fact(dl, t("institutions"), listOf(route.institutions));
    if (route.unsure && route.unsure.length) fact(dl, t("unsure"), listOf(route.unsure));
    var links = sourceLinks(route.sources);
    if (links.length) fact(dl, t("sources"), listOf(links, "loket-sources"));
    if (dl.firstChild) card.appendChild(dl);
    return card;
  }

  function matchCard(match) {
    var headingId = uid("match");
    var where = [match.school, match.place].filter(Boolean).join(", ");
    var card = el("article", { className: "loket-card loket-match", "aria-labelledby": headingId }, [
      el("h5", { id: headingId, className: "loket-card-title", text: match.title || "" })
    ]);
    if (where) card.appendChild(el("p", { className: "loket-where", text: where }));
    if (typeof match.distance_km === "number") {
      var km = Math.round(match.distance_km * 10) / 10;
      var kmText = String(km);
      try {
        kmText = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(km);
      } catch (e) { /* an old browser without Intl: the plain number */ }
      card.appendChild(el("p", { className: "loket-distance", text: fmt(t("distance"), { km: kmText }) }));
    }
    if (match.reasons && match.reasons.length) card.appendChild(listOf(match.reasons, "loket-reasons"));
    if (match.missing && match.missing.length) {
      var dl = el("dl", { className: "loket-facts" });
      fact(dl, t("missing"), listOf(match.missing));
      card.appendChild(dl);
    }
    return card;
  }

  function renderAdvice(advice) {
    // The advice is in the chat's language of now; it keeps that language (and direction) after a switch.
    var item = el("li", { className: "loket-msg loket-msg-advice", lang: lang, dir: direction(lang) });
    messages.appendChild(item);
    loadConditionLabels().then(function () {
      fillAdvice(item, advice);
      // Show the advice from its heading, not from its last line.
      scroller.scrollTop = Math.max(0, item.offsetTop - 8);
    });
  }

  function fillAdvice(item, advice) {
    var headingId = uid("advice");
    var section = el("section", { className: "loket-advice", "aria-labelledby": headingId }, [
      el("h3", { id: headingId, text: t("advice") })
    ]);
    var routes = advice.routes || [];
    var fitting = routes.filter(function (r) { return r.fit !== "no"; });
    var notFitting = routes.filter(function (r) { return r.fit === "no"; });
    if (fitting.length) {
      section.appendChild(el("h4", { text: t("routes") }));
      fitting.forEach(function (r) { section.appendChild(routeCard(r)); });
    }
    if (notFitting.length) {
      var details = el("details", { className: "loket-other-routes" }, [
        el("summary", { text: t("otherRoutes") + " (" + notFitting.length + ")" })
      ]);
      notFitting.forEach(function (r) { details.appendChild(routeCard(r)); });
      section.appendChild(details);
    }
    [["vacatures", "vacatures"], ["invalpool", "invalpool"]].forEach(function (pair) {
      var list = advice[pair[0]] || [];
      if (!list.length) return;
      section.appendChild(el("h4", { text: t(pair[1]) }));
      list.forEach(function (m) { section.appendChild(matchCard(m)); });
    });
    if (advice.next_steps && advice.next_steps.length) {
      section.appendChild(el("h4", { text: t("nextSteps") }));
      var steps = el("ol", { className: "loket-steps" });
      advice.next_steps.forEach(function (s) { steps.appendChild(el("li", { text: String(s) })); });
      section.appendChild(steps);
    }
    item.appendChild(section);
  }

  // ------------------------------------------------------------------ session

  function forgetSession() {
    store = { language: lang, chosen: store.chosen };
    saveStore();
    started = false;
    expecting = null;
    showCode();
    updateFlowUi();
  }

  function resetView() {
    clear(messages);
    clear(replies);
    replies.hidden = true;
    hideInline();
  }

  function handleError(error, retry) {
    if (error && error.status === 0 && retry) {
      addNotice(t("offline"), [{ label: t("retry"), run: retry }]);
      return;
    }
    var detail = (error && error.detail) || t("error");
    if (error && (error.status === 404 || error.status === 401)) {
      // The session expired or was erased elsewhere: offer a fresh start instead of a dead end.
      forgetSession();
      addNotice(detail, [{ label: t("startNew"), run: function () { resetView(); startSession(); } }]);
      return;
    }
    addNotice(detail);
  }

  function startSession(flow) {
    flow = flow === GESPREK || flow === "intake" ? flow : START_FLOW;
    var again = function () { return startSession(flow); };
    setBusy(true);
    var path = flow === GESPREK ? "/api/v1/loopbaangesprek/chat" : "/api/v1/intake";
    // The loopbaangesprek chat speaks Dutch and English only: English for the other languages (and the
    // widget then follows the chat's language, so its words and the questions agree).
    var language = flow === GESPREK && lang !== "nl" && lang !== "en" ? "en" : lang;
    return api("POST", path, { language: language, channel: "web" })
      .then(function (turn) {
        store = { session_id: turn.session_id, token: turn.token, language: lang, open: store.open || !panel.hidden,
          flow: flow, chosen: store.chosen };
        saveStore();
        started = true;
        subtitle.textContent = isGesprek() ? t("gesprekSubtitle") : t("subtitle");
        renderTurn(turn);
      })
      .catch(function (error) { handleError(error, again); })
      .then(function () {
        setBusy(false);
        focusInput();
      });
  }

  function restoreSession() {
    setBusy(true);
    return api("GET", chatPath("/turn"))
      .then(function (turn) {
        started = true;
        var shown = renderHistory(turn.history);
        renderTurn(turn, shown);
        if (turn.done && !turn.advice && !isGesprek()) return fetchAdvice();
        return null;
      })
      .catch(function (error) { handleError(error, restoreSession); })
      .then(function () { setBusy(false); });
  }

  function fetchAdvice() {
    return api("GET", "/api/v1/intake/" + encodeURIComponent(store.session_id) + "/advice").then(function (advice) {
      renderAdvice(advice);
    });
  }

  function ensureStarted() {
    if (started || busy) return;
    if (store.session_id && store.token) {
      restoreSession();
    } else {
      startSession();
    }
  }

  function send(text, shownAs) {
    text = String(text || "").trim();
    if (!text || busy) return;
    if (!store.session_id) {
      ensureStarted();
      return;
    }
    pending = { text: text, id: newMessageId() };
    addMessage("in", shownAs || text);
    transmit();
  }

  function transmit() {
    if (!pending || busy) return;
    var message = pending;
    setBusy(true);
    clear(replies);
    replies.hidden = true;
    api("POST", chatPath("/messages"), {
      text: message.text,
      client_message_id: message.id, // the same id on a retry: the server applies the message once
      website: honeypot.value
    })
      .then(function (turn) {
        pending = null;
        renderTurn(turn, null, isGesprek());
      })
      .catch(function (error) {
        if (error.status !== 0) {
          pending = null;
          renderReplies([{ quick_replies: (expecting && expecting.choices) || [] }], expecting);
        }
        handleError(error, transmit);
      })
      .then(function () {
        setBusy(false);
        focusInput();
      });
  }

  function setLanguage(next) {
    if (next === lang) return;
    lang = next;
    store.language = lang;
    saveStore();
    applyLanguage();
  }

  // A language from the menu: the widget's words at once, and the intake goes on in that language with every
  // answer kept (the server asks the current question again in it).
  function chooseLanguage(next) {
    if (!known(next) || busy) return;
    store.chosen = next; // the person's own choice: a new chat starts in it too
    saveStore();
    if (next === lang) return;
    var before = lang;
    var switched = false;
    setLanguage(next);
    // The loopbaangesprek chat keeps the language it started in; only the widget's own words change.
    if (!store.session_id || isGesprek()) return;
    setBusy(true);
    api("POST", "/api/v1/intake/" + encodeURIComponent(store.session_id) + "/language", { language: next })
      .then(function (turn) {
        switched = true;
        renderTurn(turn);
        // After the advice: the advice once more, now in the chosen language.
        if (turn && turn.done && !turn.advice) return fetchAdvice();
        return null;
      })
      .catch(function (error) {
        if (switched) return handleError(error); // the switch went through; only the advice did not come
        setLanguage(before); // the chat is still in the old language: so are the widget's words
        handleError(error, function () { chooseLanguage(next); });
      })
      .then(function () {
        setBusy(false);
        if (langButtons[lang] && !panel.hidden && !panel.contains(document.activeElement)) langButtons[lang].focus();
      });
  }

  // ------------------------------------------------------------------ inline confirmations and the code form

  function hideInline() {
    clear(dialogArea);
    dialogArea.hidden = true;
  }

  function confirmInline(question, yesLabel, onYes) {
    clear(dialogArea);
    var textId = uid("confirm");
    var no = el("button", { type: "button", className: "loket-reply", text: t("cancel") });
    var yes = el("button", { type: "button", className: "loket-reply loket-primary", text: yesLabel });
    no.addEventListener("click", function () {
      hideInline();
      focusInput();
    });
    yes.addEventListener("click", function () {
      hideInline();
      onYes();
    });
    dialogArea.appendChild(el("div", { role: "group", "aria-labelledby": textId }, [
      el("p", { id: textId, text: question }),
      el("div", { className: "loket-inline-actions" }, [yes, no])
    ]));
    dialogArea.hidden = false;
    no.focus();
  }

  function askRestart() {
    confirmInline(t("restartConfirm"), t("restartYes"), function () {
      var flow = isGesprek() ? GESPREK : "intake"; // start again in the same flow
      forgetSession();
      resetView();
      startSession(flow);
    });
  }

  function askErase() {
    if (!store.session_id || isGesprek()) return;
    confirmInline(t("eraseConfirm"), t("eraseYes"), function () {
      setBusy(true);
      api("DELETE", "/api/v1/intake/" + encodeURIComponent(store.session_id))
        .then(function (receipt) {
          forgetSession();
          resetView();
          var code = String((receipt && receipt.session_id) || "").slice(0, 8);
          addNotice(fmt(t("erased"), { code: code }), [
            { label: t("startNew"), run: function () { resetView(); startSession(); } }
          ]);
        })
        .catch(function (error) { handleError(error); })
        .then(function () {
          setBusy(false);
          focusInput();
        });
    });
  }

  function askResumeCode() {
    clear(dialogArea);
    var codeId = uid("code");
    var codeInput = el("input", { id: codeId, type: "text", className: "loket-input", autocomplete: "off",
      autocapitalize: "characters", maxlength: "32", spellcheck: "false", dir: "ltr" });
    var go = el("button", { type: "submit", className: "loket-reply loket-primary", text: t("resumeGo") });
    var cancel = el("button", { type: "button", className: "loket-reply", text: t("cancel") });
    var codeForm = el("form", { className: "loket-code-form", novalidate: true }, [
      el("label", { for: codeId, text: t("resumeLabel") }),
      codeInput,
      el("div", { className: "loket-inline-actions" }, [go, cancel])
    ]);
    cancel.addEventListener("click", function () {
      hideInline();
      focusInput();
    });
    codeForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var code = codeInput.value.trim();
      if (!code) {
        announce(t("resumeEmpty"));
        codeInput.focus();
        return;
      }
      resumeWithCode(code);
    });
    dialogArea.appendChild(codeForm);
    dialogArea.hidden = false;
    codeInput.focus();
  }

  function resumeWithCode(code) {
    if (busy) return;
    setBusy(true);
    var saved = store;
    store = { language: lang, open: true, chosen: saved.chosen }; // no old token on this call
    api("POST", "/api/v1/intake/resume", { code: code })
      .then(function (turn) {
        hideInline();
        resetView();
        store = { session_id: turn.session_id, token: turn.token, language: lang, open: true, chosen: saved.chosen };
        saveStore();
        started = true;
        renderTurn(turn, renderHistory(turn.history));
      })
      .catch(function (error) {
        store = saved;
        addNotice(error.detail || t("error"));
      })
      .then(function () {
        setBusy(false);
        focusInput();
      });
  }

  // ------------------------------------------------------------------ opening and closing

  function open(moveFocus) {
    if (!textsLoaded) fetchTexts(); // they failed at start (offline?): try once more now
    panel.hidden = false;
    root.classList.add("loket-open");
    launcher.setAttribute("aria-expanded", "true");
    store.open = true;
    saveStore();
    ensureStarted();
    scrollToEnd();
    if (moveFocus) input.focus();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("loket-open");
    launcher.setAttribute("aria-expanded", "false");
    store.open = false;
    saveStore();
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open(true);
    else close();
  });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    var text = input.value;
    if (!text.trim()) return;
    if (!store.session_id) {
      ensureStarted(); // e.g. after an erase: a new chat starts with the consent; the typed text stays
      return;
    }
    input.value = "";
    send(text);
    input.focus();
  });
  restartButton.addEventListener("click", askRestart);
  resumeButton.addEventListener("click", askResumeCode);
  eraseButton.addEventListener("click", askErase);
  gesprekButton.addEventListener("click", startGesprek);
  window.addEventListener("online", function () {
    if (pending && !busy) transmit();
  });

  var mounted = false;
  var textsLoaded = false;

  function mount() {
    if (mounted) return;
    mounted = true;
    var css = el("link", { rel: "stylesheet", href: BASE + "/widget.css" });
    document.head.appendChild(css);
    document.body.appendChild(root);
    buildLanguageMenu();
    applyLanguage();
    // After a reload the chat reopens where it was, without taking the focus away from the page.
    if (store.open && store.session_id) open(false);
  }

  function whenReady(run) {
    if (document.body) run();
    else document.addEventListener("DOMContentLoaded", run);
  }

  // The texts first (one request, cached by the browser), so the launcher appears in the right language;
  // a slow answer does not keep the widget away: after a few seconds it starts with the built-in words.
  var textsRequest = null;

  function fetchTexts() {
    if (textsRequest) return textsRequest;
    textsRequest = loadTexts().then(function (ok) {
      textsRequest = null;
      textsLoaded = ok;
      if (ok && mounted) {
        buildLanguageMenu();
        applyLanguage();
      }
      return ok;
    });
    return textsRequest;
  }

  var mountTimer = window.setTimeout(function () { whenReady(mount); }, 4000);
  fetchTexts().then(function () {
    window.clearTimeout(mountTimer);
    whenReady(mount);
  });
})();
