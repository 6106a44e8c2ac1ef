/* bertvec-notebooks book: figure zoom, and search snippets that work from file:// too. */
(() => {
  // Click a figure to see it full size in a dialog; click again (or Esc) to close.
  const zoom = (img) => {
    const dialog = document.createElement("dialog");
    dialog.className = "book-zoom";
    const big = document.createElement("img");
    big.src = img.src;
    big.alt = img.alt;
    dialog.appendChild(big);
    if (img.naturalWidth > 0.96 * window.innerWidth) {  // wider than the screen: say that it scrolls
      const caption = document.createElement("p");
      caption.className = "book-zoom-caption";
      caption.textContent = "← 옆으로 밀면 그림의 나머지가 보입니다 → · 누르면 닫힙니다";
      dialog.appendChild(caption);
    }
    dialog.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => dialog.remove());
    document.body.appendChild(dialog);
    dialog.showModal();
  };
  document.addEventListener("click", (event) => {
    const img = event.target.closest && event.target.closest("div.cell_output img");
    if (img) zoom(img);
  });
  // A figure drawn smaller than its pixels (two panels on a phone) says so, under it.
  const hint = (img) => {
    const shrunk = img.naturalWidth > 1.15 * img.getBoundingClientRect().width;
    const next = img.nextElementSibling;
    const shown = next && next.classList.contains("book-zoom-hint");
    if (shrunk && !shown) {
      const note = document.createElement("p");
      note.className = "book-zoom-hint";
      note.textContent = "그림이 화면에 맞게 줄었습니다. 누르면 원래 크기로 봅니다.";
      img.after(note);
    } else if (!shrunk && shown) next.remove();
  };
  const hintAll = () => document.querySelectorAll("div.cell_output img").forEach((img) =>
    img.complete ? hint(img) : img.addEventListener("load", () => hint(img), {once: true}));
  window.addEventListener("load", hintAll);
  window.addEventListener("resize", hintAll);

  // Shim for pydata-sphinx-theme 0.20 (required as ==0.20.0 by sphinx-book-theme 1.4):
  // its script attaches the sidebar handlers to the first .primary-toggle / .secondary-toggle
  // of the page only, a copy in the header that is hidden on most screens, so the buttons a
  // reader sees did nothing (pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme
  // PR #991). A click on any other copy is passed to the first one. tests/test_book.py checks
  // that the installed theme still has the bug: remove this block when it fails.
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".primary-toggle, .secondary-toggle");
    if (!button) return;
    const first = document.querySelector(button.classList.contains("primary-toggle") ? ".primary-toggle" : ".secondary-toggle");
    if (!first || first === button) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    first.click();
  }, true);

  // The theme has no Korean translation: its buttons' tooltips and labels in Korean.
  const KOREAN = {
    "Search...": "검색...", "Search": "검색", "Version warning": "버전 경고", "Site navigation": "사이트 탐색",
    "On this page": "이 페이지의 내용", "Main": "본문", "Toggle primary sidebar": "차례 열기/닫기",
    "Toggle secondary sidebar": "이 페이지의 내용 열기/닫기", "Color mode": "밝기 모드", "Light": "밝게",
    "Dark": "어둡게", "System Settings": "시스템 설정", "Link to this heading": "이 제목으로 가는 링크",
    "Link to this definition": "이 정의로 가는 링크", "Link to this image": "이 그림으로 가는 링크",
    "Link to this table": "이 표로 가는 링크", "Link to this code": "이 코드로 가는 링크",
    "previous page": "이전 장", "next page": "다음 장", "Page": "페이지", "Launch interactive content": "실행 환경에서 열기",
    "Launch on Colab": "Colab 에서 열기", "Copy": "복사", "Copied!": "복사했습니다!", "Failed to copy": "복사하지 못했습니다",
    "Copy to clipboard": "클립보드에 복사", "Colab logo": "Colab 로고", "Back to top": "맨 위로", "Skip to main content": "본문으로 건너뛰기",
  };
  const translate = (root) => {
    for (const element of root.querySelectorAll("[title], [aria-label], [data-bs-original-title], [placeholder], [data-tooltip], img[alt]")) {
      for (const name of ["title", "aria-label", "data-bs-original-title", "placeholder", "data-tooltip", "alt"]) {
        const value = element.getAttribute(name);
        if (value && KOREAN[value.trim()]) element.setAttribute(name, KOREAN[value.trim()]);
      }
    }
  };
  const translateAll = () => {
    translate(document);
    for (const element of document.querySelectorAll(".skip-link, #pst-back-to-top")) {
      const text = element.textContent.trim();
      if (KOREAN[text]) element.lastChild.textContent = " " + KOREAN[text];
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", translateAll);
  else translateAll();
  window.addEventListener("load", translateAll);  // copy buttons and tooltips are added on load
  // Tooltips that change later ("Copied!" after a click on a copy button) are translated too.
  const NAMES = ["title", "aria-label", "data-bs-original-title", "placeholder", "data-tooltip"];
  new MutationObserver((changes) => {
    for (const change of changes) {
      const value = change.target.getAttribute(change.attributeName);
      if (value && KOREAN[value.trim()]) change.target.setAttribute(change.attributeName, KOREAN[value.trim()]);
    }
  }).observe(document.documentElement, {subtree: true, attributes: true, attributeFilter: NAMES});

  // The search page fetches each result's page for its snippet; opened as file:// a browser
  // refuses that. book_texts.js (written by build_book.py) holds every page's article text:
  // snippets come from there, from the matching passage, with or without a web server.
  if (!/search\.html$/.test(location.pathname)) return;
  let texts = null;
  const load = () => texts || (texts = new Promise((done) => {
    const script = document.createElement("script");
    script.src = (document.documentElement.dataset.content_root || "./") + "_static/book_texts.js";
    script.onload = () => done(window.BOOK_TEXTS || {});
    script.onerror = () => done({});
    document.head.appendChild(script);
  }));
  // Search pieces are two-syllable bigrams (docs/korean_search.py), so "학습을" alone would also
  // find a page with "학습" and "복습을" far apart. A result is kept only where the page's text
  // (or title) holds each Hangul word of the query as written. Sphinx's Search is defined by
  // searchtools.js, loaded after this file: wrapped before it runs its first query.
  const hangulWords = (query) => (query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || [])
    .flatMap((token) => token.match(/[\uac00-\ud7a3]{3,}/g) || []);
  const wrapSearch = () => {
    if (typeof Search === "undefined" || Search.__bookWrapped) return;
    Search.__bookWrapped = true;
    const query = Search.query, perform = Search._performSearch;
    let words = [], all = {};
    Search.query = (text) => { words = hangulWords(text); load().then((loaded) => { all = loaded; query(text); }); };
    Search._performSearch = (...args) => perform(...args).filter(([docname, title]) => {
      const page = (all[docname + ".html"] || "").toLowerCase() + " " + String(title).toLowerCase();
      return !Object.keys(all).length || words.every((word) => page.includes(word));
    });
  };
  document.addEventListener("DOMContentLoaded", wrapSearch);
  const original = window.fetch;
  window.fetch = (resource, options) => {
    const url = new URL(String(resource), location.href);
    if (!url.pathname.endsWith(".html")) return original(resource, options);
    return load().then((all) => {
      const key = Object.keys(all).find((name) => url.pathname.endsWith("/" + name) || url.pathname === name);
      if (key === undefined) return original(resource, options);
      const html = `<div role="main">${all[key].replace(/[&<>]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;"}[c]))}</div>`;
      return new Response(html, {headers: {"Content-Type": "text/html"}});
    });
  };
})();
