// A Plotly figure the server patches in place (workshop/liveplot.py).
//
// plotly.js is loaded once per page from the plotly package's own copy (served by Solara at
// /static/assets/), not sent with every widget. The server sends either a whole figure or a patch
// (new points to append, trace or layout properties to replace); a patch is applied to the figure's
// own data and drawn with one redraw. A figure that is not on screen (the other view's tab) skips
// patches and asks for the whole figure once it is shown again. After each message the element
// carries data-week (the week drawn) and data-drawn (messages drawn), which the tests wait on.

const CONFIG = { displayModeBar: false, responsive: false, doubleClick: false, showTips: false };

function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__renosimPlotly) {
    window.__renosimPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        window.__renosimPlotly = null;
        reject(new Error("plotly.js did not load from " + url));
      };
      document.head.appendChild(script);
    });
  }
  return window.__renosimPlotly;
}

async function render({ model, el }) {
  const Plotly = await loadPlotly(model.get("plotly_url"));
  el.classList.add("renosim-live");
  const div = document.createElement("div");
  el.appendChild(div);
  let drawn = false; // a whole figure has been drawn
  let stale = true; // what is drawn misses messages: ask for the whole figure when visible
  let asked = false;
  let queue = Promise.resolve();

  const visible = () => el.clientWidth > 0 && el.clientHeight > 0;
  const size = () => ({ width: Math.max(60, el.clientWidth), height: Math.max(60, el.clientHeight) });
  const mark = (week) => {
    if (week !== undefined && week !== null) el.dataset.week = String(week);
    el.dataset.drawn = String((+el.dataset.drawn || 0) + 1);
  };
  const ask = () => {
    if (stale && !asked && visible()) {
      asked = true;
      model.send({ type: "resync" });
    }
  };

  const apply = async (msg) => {
    if (!visible()) {
      // Not on screen (the other view): Plotly cannot lay out a hidden box; draw it all when shown.
      stale = true;
      asked = false;
      return;
    }
    if (msg.type === "figure") {
      await Plotly.react(div, msg.data, Object.assign({}, msg.layout, size()), CONFIG);
      if (!drawn) {
        div.on("plotly_click", (ev) => {
          const point = ev && ev.points && ev.points[0];
          if (point && point.customdata !== undefined) model.send({ type: "click", customdata: point.customdata });
        });
      }
      drawn = true;
      stale = false;
      asked = false;
      mark(msg.week);
      return;
    }
    if (!drawn || stale) {
      stale = true;
      ask();
      return;
    }
    for (const { index, x, y } of msg.extend || []) {
      const trace = div.data[index];
      trace.x = trace.x.concat(x);
      trace.y = trace.y.concat(y);
    }
    for (const { index, props } of msg.restyle || []) Object.assign(div.data[index], props);
    Object.assign(div.layout, msg.relayout || {});
    await Plotly.redraw(div);
    mark(msg.week);
  };

  const onMessage = (msg) => {
    queue = queue.then(() => apply(msg)).catch((err) => console.error("renosim plot:", err));
  };
  model.on("msg:custom", onMessage);

  let lastSize = "";
  const observer = new ResizeObserver(() => {
    if (!visible()) return;
    const { width, height } = size();
    const key = width + "x" + height;
    if (key === lastSize) return;
    lastSize = key;
    model.send({ type: "size", width, height });
    if (stale) ask();
    else queue = queue.then(() => Plotly.relayout(div, { width, height }));
  });
  observer.observe(el);
  ask();

  return () => {
    observer.disconnect();
    model.off("msg:custom", onMessage);
    Plotly.purge(div);
  };
}

export default { render };
