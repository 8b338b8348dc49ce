// Live reload for `tryloyw serve`; never part of a built site.
(() => {
  const script = document.currentScript;
  const loaded = Number(script ? script.dataset.generation : 0);
  const key = "tryloyw-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", () => scrollTo(0, Number(saved)));
  }
  const reload = () => {
    sessionStorage.setItem(key, String(scrollY));
    location.reload();
  };
  const events = new EventSource("/__tryloyw/events");
  // A rebuild that finished before this page connected.
  events.addEventListener("hello", (e) => {
    if (Number(e.data) > loaded) reload();
  });
  events.addEventListener("reload", reload);
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("v", String(Date.now()));
      link.href = url.href;
    }
  });
})();
