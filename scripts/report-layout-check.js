// Measures the layout of a sagstal report after the browser has laid it out, for
// scripts/check-reports. The checker appends this script (in a <script> element) to a copy of
// report.html just before </body>; it writes its findings as JSON into a hidden pre element
// (id layout-check), which the checker reads from Chromium's --dump-dom. The reports have no script.
//
// Each finding: {check, problem, element, boxes}. The checks (letters as in the checker):
//   a  the page scrolls horizontally; an element scrolls horizontally (the checker decides
//      which of these are allowed at which width)
//   b  SVG texts overlap; HTML text leaves its container; cards or figures overlap
//   c  a number, an interval or a CI label is broken across lines
//   d  a legend symbol has a colour that no series in the chart is drawn with
//   e  a text is drawn outside its SVG
(function () {
  "use strict";
  var out = { width: window.innerWidth, clientWidth: document.documentElement.clientWidth,
              height: 0, findings: [], counts: {} };
  var TOL = 1;   // px of overlap or overhang that is allowed (anti-aliasing, rounding)

  function r1(x) { return Math.round(x * 10) / 10; }
  function box(r) { return [r1(r.left), r1(r.top), r1(r.right), r1(r.bottom)]; }
  function text(el) {
    var t = (el.textContent || "").replace(/\s+/g, " ").trim();
    return t.length > 48 ? t.slice(0, 45) + "…" : t;
  }
  function name(el) {
    if (!el || !el.tagName) return "?";
    var s = el.tagName.toLowerCase();
    var cls = el.getAttribute("class");
    if (cls) s += "." + cls.trim().split(/\s+/).join(".");
    return s;
  }
  function where(el) {
    // The nearest figure caption or heading names the place in the report.
    var fig = el.closest ? el.closest("figure") : null;
    if (fig) {
      var cap = fig.querySelector("figcaption");
      if (cap) return " in figure \"" + text(cap) + "\"";
    }
    var sec = el.closest ? el.closest("section, header, details") : null;
    if (sec) {
      var h = sec.querySelector("h2, h1, summary");
      if (h) return " in \"" + text(h) + "\"";
    }
    return "";
  }
  function describe(el) {
    var t = text(el);
    return name(el) + (t ? " \"" + t + "\"" : "") + where(el);
  }
  function add(check, problem, element, boxes) {
    out.findings.push({ check: check, problem: problem, element: element, boxes: boxes });
  }
  function count(k) { out.counts[k] = (out.counts[k] || 0) + 1; }
  function visible(r) { return r.width > 0 && r.height > 0; }
  function intersect(a, b) {
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > TOL && h > TOL;
  }
  function inside(inner, outer) {
    return inner.left >= outer.left - TOL && inner.right <= outer.right + TOL &&
           inner.top >= outer.top - TOL && inner.bottom <= outer.bottom + TOL;
  }
  function textRect(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect();
  }
  // The number of line boxes a range's rectangles lie on.
  function lines(range) {
    var rects = Array.prototype.slice.call(range.getClientRects()).filter(visible);
    var bands = [];
    rects.forEach(function (r) {
      var mid = (r.top + r.bottom) / 2;
      if (!bands.some(function (b) { return Math.abs(b - mid) < r.height / 2; })) bands.push(mid);
    });
    return { n: bands.length, rects: rects };
  }
  function colour(c) {
    // Computed colours are "rgb(r, g, b)"; "none" and url(#…) paints are not colours.
    if (!c || c === "none" || c.indexOf("url(") >= 0) return null;
    var m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return c;
    var p = m[1].split(",").map(function (s) { return parseFloat(s); });
    if (p.length === 4 && p[3] === 0) return null;
    return "#" + p.slice(0, 3).map(function (v) { return ("0" + Math.round(v).toString(16)).slice(-2); }).join("");
  }
  function paints(el) {
    // A <line> has no inside: its fill (black by default) is never painted.
    // Only shapes paint (a <g> or <title> merely inherits the default black fill).
    var tag = el.tagName.toLowerCase();
    if (["rect", "path", "line", "circle", "ellipse", "polygon", "polyline"].indexOf(tag) < 0) return [];
    var cs = getComputedStyle(el);
    var fill = tag === "line" ? null : colour(cs.fill);
    var stroke = colour(cs.stroke);
    return [fill, stroke].filter(function (c) { return c; });
  }

  var de = document.documentElement;
  out.height = Math.ceil(Math.max(de.scrollHeight, document.body.scrollHeight));

  // a. Horizontal scrolling: of the page, and of any element.
  if (de.scrollWidth > de.clientWidth) {
    add("a", "page scrolls horizontally", "html", [de.scrollWidth, de.clientWidth]);
  }
  Array.prototype.forEach.call(document.querySelectorAll("body *"), function (el) {
    var ox = getComputedStyle(el).overflowX;
    if ((ox === "auto" || ox === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      var inner = el.querySelector("table") || el.firstElementChild;
      add("a", "element scrolls horizontally" + (el.querySelector("table") ? " (table)" : ""),
          inner ? name(el) + " > " + describe(inner) : describe(el), [el.scrollWidth, el.clientWidth]);
    }
  });

  // b, e. SVG texts: no two overlap; each inside its SVG.
  Array.prototype.forEach.call(document.querySelectorAll("svg"), function (svg) {
    count("svg");
    var sbox = svg.getBoundingClientRect();
    var texts = Array.prototype.slice.call(svg.querySelectorAll("text"))
      .map(function (t) { return { el: t, r: t.getBoundingClientRect() }; })
      .filter(function (t) { return visible(t.r) && (t.el.textContent || "").trim() !== ""; });
    texts.forEach(function (t, i) {
      count("svg text");
      if (!inside(t.r, sbox)) {
        add("e", "text outside its SVG", describe(t.el), [box(t.r), box(sbox)]);
      }
      for (var j = i + 1; j < texts.length; j++) {
        if (intersect(t.r, texts[j].r)) {
          add("b", "SVG texts overlap", describe(t.el) + " / \"" + text(texts[j].el) + "\"", [box(t.r), box(texts[j].r)]);
        }
      }
    });

    // d. Legend symbols: each colour of a legend symbol is a colour the chart draws with —
    // the series of the same name when there is one, else anything outside the legend.
    var drawn = {};
    Array.prototype.forEach.call(svg.querySelectorAll("*"), function (el) {
      if (el.closest(".legend") || el.tagName.toLowerCase() === "text" || el.closest("defs") ||
          el.classList.contains("background")) return;
      paints(el).forEach(function (c) { drawn[c] = true; });
    });
    Array.prototype.forEach.call(svg.querySelectorAll(".legend-entry, .legend-note"), function (entry) {
      count("legend symbol");
      var label = entry.querySelector("text");
      var labelText = label ? label.textContent.trim() : "";
      var series = null;
      Array.prototype.forEach.call(svg.querySelectorAll(".series"), function (g) {
        if (g.getAttribute("data-series") === labelText) series = g;
      });
      var own = {};
      if (series) {
        Array.prototype.forEach.call(series.querySelectorAll("*"), function (el) {
          paints(el).forEach(function (c) { own[c] = true; });
        });
      }
      // A series that draws nothing (e.g. a share of 0 in the slot "not within the horizon")
      // has no colour to compare with: its legend entry still says what the slot means.
      if (series && Object.keys(own).length === 0) return;
      Array.prototype.forEach.call(entry.children, function (sym) {
        if (sym.tagName.toLowerCase() === "text") return;
        var shapes = [sym].concat(Array.prototype.slice.call(sym.querySelectorAll("*")));
        shapes.forEach(function (s) {
          paints(s).forEach(function (c) {
            var ok = series ? own[c] : drawn[c];
            if (!ok) {
              add("d", "legend symbol colour " + c + " is not the colour of " +
                  (series ? "its series (" + Object.keys(own).join(" ") + ")" : "anything drawn in the chart"),
                  name(entry) + " \"" + labelText + "\"" + where(svg), [box(s.getBoundingClientRect())]);
            }
          });
        });
      });
    });
  });

  // b. HTML: the text of cards, table header cells, captions and legends stays inside its box;
  // cards and figures do not overlap their siblings.
  var contained = ".card, .card > *, thead th, figcaption, .legend > *, .tag, dl.facts dt, dl.facts dd, summary";
  Array.prototype.forEach.call(document.querySelectorAll(contained), function (el) {
    if (el.closest("svg")) return;
    var r = el.getBoundingClientRect();
    if (!visible(r)) return;
    count("HTML box");
    var tr = textRect(el);
    if (visible(tr) && !inside(tr, r)) {
      add("b", "text leaves its box", describe(el), [box(tr), box(r)]);
    }
    var parent = el.closest(".card") !== el && el.closest(".card") ? el.closest(".card") : null;
    if (parent && !inside(r, parent.getBoundingClientRect())) {
      add("b", "box leaves its card", describe(el), [box(r), box(parent.getBoundingClientRect())]);
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll(".cards, .charts, .tables, thead tr"), function (group) {
    var kids = Array.prototype.slice.call(group.children)
      .map(function (k) { return { el: k, r: k.getBoundingClientRect() }; })
      .filter(function (k) { return visible(k.r); });
    kids.forEach(function (k, i) {
      for (var j = i + 1; j < kids.length; j++) {
        if (intersect(k.r, kids[j].r)) {
          add("b", "boxes overlap", describe(k.el) + " / " + describe(kids[j].el), [box(k.r), box(kids[j].r)]);
        }
      }
      // A grid or flex item must not be wider than its group (e.g. an SVG wider than its column).
      var g = group.getBoundingClientRect();
      if (group.tagName.toLowerCase() !== "tr" && (k.r.right > g.right + TOL || k.el.scrollWidth > k.el.clientWidth + TOL && getComputedStyle(k.el).overflowX === "visible")) {
        add("b", "content wider than its column", describe(k.el), [box(k.r), box(g), k.el.scrollWidth, k.el.clientWidth]);
      }
    });
  });

  // c. Numbers and CIs on one line: every numeric table cell; every interval (12,3–14,5) and
  // every "95 % CI" / "95 %-KI" label in the text of the page (SVG text cannot wrap).
  Array.prototype.forEach.call(document.querySelectorAll("td.num, tbody th.num"), function (cell) {
    count("numeric cell");
    var range = document.createRange();
    range.selectNodeContents(cell);
    var l = lines(range);
    if (l.n > 1) add("c", "number broken across " + l.n + " lines", describe(cell), l.rects.map(box));
  });
  var patterns = [
    /95[\s\u00a0\u202f]*%(?:-KI|[\s\u00a0\u202f]+CI)|P5–P95/g,
    /[−-]?\d[\d.,\u00a0\u202f]*(?:[\s\u00a0\u202f]?%)?[\s\u00a0\u202f]?–[\s\u00a0\u202f]?[−-]?\d[\d.,]*(?:[\s\u00a0\u202f]?%)?/g
  ];
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, null);
  var node;
  while ((node = walker.nextNode())) {
    var p = node.parentElement;
    if (!p || p.closest("svg, script, pre, #layout-check, style")) continue;
    if (p.closest("details") && !p.closest("details").open && !p.closest("summary")) continue;
    patterns.forEach(function (re) {
      re.lastIndex = 0;
      var m;
      while ((m = re.exec(node.data))) {
        var range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        var l = lines(range);
        count("interval or CI label");
        if (l.n > 1) {
          add("c", "\"" + m[0] + "\" broken across " + l.n + " lines", describe(p), l.rects.map(box));
        }
      }
    });
  }

  var pre = document.createElement("pre");
  pre.id = "layout-check";
  pre.style.display = "none";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
