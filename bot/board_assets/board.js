// Progress board: reads the signed initData, asks the board's JSON API, draws the pages.
// Works with Telegram's telegram-web-app.js (production) and without it (tests: the
// initData and theme come from the URL fragment, as Telegram passes them).
"use strict";

(function () {
  const tg = window.Telegram && window.Telegram.WebApp;
  const fragment = new URLSearchParams(location.hash.slice(1));
  const initData = (tg && tg.initData) || fragment.get("tgWebAppData") || "";
  const main = document.getElementById("main");
  let current = "overview";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "onclick") node.addEventListener("click", v);
      else node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined || c === "") continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  function svg(markup) {
    // Server-drawn chart: every text in it is escaped on the server.
    const box = el("div", { class: "chart" });
    box.innerHTML = markup;
    return box;
  }

  function applyTheme(params) {
    if (!params) return;
    const root = document.documentElement;
    for (const [key, value] of Object.entries(params)) {
      if (/^#[0-9a-f]{3,8}$/i.test(value)) {
        root.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
      }
    }
    root.classList.add("tg");
  }

  function themeFromFragment() {
    try {
      return JSON.parse(fragment.get("tgWebAppThemeParams") || "null");
    } catch (e) {
      return null;
    }
  }

  async function api(path) {
    const response = await fetch("api/" + path, {
      headers: { "X-Telegram-Init-Data": initData },
      cache: "no-store",
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.error || "Lỗi " + response.status);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function badge(row) {
    return el("span", { class: "badge s" + row.status_index }, row.status);
  }

  function taskList(rows, empty) {
    if (!rows.length) return el("p", { class: "hint" }, empty);
    const list = el("ul", { class: "tasks" });
    for (const r of rows) {
      const figures = [r.progress, r.reported].filter(Boolean).join(", ");
      const last = r.last ? "cập nhật " + r.last + (r.reporter ? " · " + r.reporter : "") : "";
      list.append(
        el(
          "li",
          { "data-code": r.code, onclick: () => show("task", r.key || r.code) },
          el("span", { class: "code" }, r.code),
          r.document ? el("span", { class: "hint" }, r.document + " · ") : null,
          r.content,
          el("br"),
          badge(r),
          " ",
          el("span", { class: "hint" }, [figures, "hạn " + r.due, last].filter(Boolean).join(" · "))
        )
      );
    }
    return list;
  }

  function legend(labels) {
    return el(
      "div",
      { class: "legend" },
      ...labels.map((label, i) => el("span", {}, el("i", { class: "s" + i }), label))
    );
  }

  function overview(data) {
    document.getElementById("subtitle").textContent = data.title + ". Số liệu ngày " + data.date + ".";
    const totals = el(
      "div",
      { class: "totals", id: "totals" },
      el("div", { class: "total all" }, el("b", {}, data.total), el("span", {}, "nhiệm vụ"))
    );
    data.labels.forEach((label, i) => {
      totals.append(
        el(
          "div",
          { class: "total s" + i, "data-status": label },
          el("b", {}, data.totals[label]),
          el("span", {}, label)
        )
      );
    });
    return [
      data.everything ? null : el("p", { class: "hint" }, "Chỉ các nhiệm vụ của cơ quan bạn."),
      totals,
      el("h2", {}, "Theo phần"),
      el("div", { class: "card" }, svg(data.chart), legend(data.labels)),
      el("h2", {}, "Đã quá hạn trình, chưa hoàn thành (" + data.overdue.length + ")"),
      el("div", { class: "card", id: "overdue" }, taskList(data.overdue, "Không có.")),
      el("h2", {}, "Đến hạn trình trong 30 ngày (" + data.due_soon.length + ")"),
      el("div", { class: "card", id: "due-soon" }, taskList(data.due_soon, "Không có.")),
    ];
  }

  function bodies(data) {
    if (!data.length) return [el("p", { class: "hint" }, "Không có nhiệm vụ nào.")];
    return data.map((body) => {
      const counts = Object.entries(body.counts)
        .filter(([, n]) => n)
        .map(([label, n]) => label + ": " + n)
        .join(" · ");
      return el(
        "div",
        { class: "card" },
        el("h3", {}, body.name),
        el("p", { class: "hint" }, counts),
        taskList(body.tasks, "")
      );
    });
  }

  function task(data) {
    const fields = el("dl", {});
    for (const f of data.fields) fields.append(el("dt", {}, f.label), el("dd", {}, f.value));
    const history = data.history.length
      ? el("ul", { class: "tasks" }, ...data.history.map((h) => el("li", {}, h)))
      : el("p", { class: "hint" }, "Chưa có báo cáo nào.");
    return [
      el("button", { type: "button", class: "back", onclick: () => show(current) }, "‹ Quay lại"),
      el(
        "div",
        { class: "card" },
        el("h3", {}, "Nhiệm vụ " + data.code),
        data.document ? el("p", { class: "hint" }, data.document) : null,
        el("p", {}, data.content),
        data.group ? el("p", { class: "hint" }, "Nhóm: " + data.group) : null,
        badge(data),
        el("p", {}, data.state_line),
        fields,
        el("p", { class: "hint" }, "Nguồn: " + data.source)
      ),
      el("h2", {}, "Lịch sử báo cáo"),
      el("div", { class: "card" }, history),
    ];
  }

  function targets(data) {
    if (!data.length) return [el("p", { class: "hint" }, "Không có chỉ tiêu nào được giao.")];
    return data.map((t) => {
      const checkins = t.checkins.length
        ? el(
            "ul",
            { class: "tasks" },
            ...t.checkins.map((c) =>
              el("li", {}, c.value + (c.year ? " (năm " + c.year + ")" : "") + " · " + c.at + " · " + c.who)
            )
          )
        : el("p", { class: "hint" }, "Chưa có số liệu cập nhật.");
      const verdictClass = t.on_track === true ? "ok" : t.on_track === false ? "late" : "hint";
      return el(
        "div",
        { class: "card" },
        el("h3", {}, t.name),
        el("p", {}, "Mục tiêu: " + t.value + (t.year ? " (năm " + t.year + ")" : "")),
        t.verdict ? el("p", { class: verdictClass }, t.verdict) : null,
        t.chart ? svg(t.chart) : null,
        checkins
      );
    });
  }

  const VIEWS = {
    overview: () => api("overview").then(overview),
    bodies: () => api("bodies").then(bodies),
    targets: () => api("targets").then(targets),
    task: (code) => api("task/" + encodeURIComponent(code)).then(task),
  };

  async function show(view, arg) {
    if (view !== "task") current = view;
    for (const b of document.querySelectorAll("nav button")) {
      b.setAttribute("aria-selected", String(b.dataset.view === current));
    }
    if (tg && tg.BackButton) {
      if (view === "task") tg.BackButton.show();
      else tg.BackButton.hide();
    }
    main.replaceChildren(el("p", { class: "hint" }, "Đang tải…"));
    try {
      const nodes = await VIEWS[view](arg);
      main.replaceChildren(...nodes.filter(Boolean));
      main.dataset.view = view;
      window.scrollTo(0, 0);
    } catch (error) {
      // No access: no tabs to offer either.
      if (error.status === 403) document.getElementById("tabs").hidden = true;
      main.dataset.view = "error";
      main.replaceChildren(
        el("div", { class: "card error", id: "error" }, el("p", {}, error.message))
      );
    }
  }

  applyTheme((tg && tg.themeParams && Object.keys(tg.themeParams).length && tg.themeParams) || themeFromFragment());
  if (tg) {
    tg.ready();
    tg.expand();
    tg.onEvent("themeChanged", () => applyTheme(tg.themeParams));
    if (tg.BackButton) tg.BackButton.onClick(() => show(current));
  }
  for (const b of document.querySelectorAll("nav button")) {
    b.addEventListener("click", () => show(b.dataset.view));
  }
  show("overview");
})();
