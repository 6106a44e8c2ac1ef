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
    dialog.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => dialog.remove());
    document.body.appendChild(dialog);
    dialog.showModal();
  };
  document.addEventListener("click", (event) => {
    const img = event.target.closest && event.target.closest("div.cell_output img");
    if (img) zoom(img);
  });

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
