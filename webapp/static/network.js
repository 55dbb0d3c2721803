// The correspondence network as a graph: a small force layout drawn as SVG.
// Without JavaScript the page's tables show the same people and pairs. Every circle links to
// a person's page and every arrow to the letters it stands for (keyboard: Tab through them).
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var MAX_NODES = 60; // the page sends no more (webapp/networkview.py)
  var WIDTH = 960;
  var HEIGHT = 600;
  var STEPS = 300;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function radius(letters, most) {
    return 5 + 20 * Math.sqrt(letters / most);
  }

  // Fruchterman–Reingold style: nodes repel, edges pull, everything cools down.
  function layout(nodes, edges) {
    var area = WIDTH * HEIGHT;
    var k = Math.sqrt(area / Math.max(nodes.length, 1)) * 0.6;
    nodes.forEach(function (n, i) {
      var angle = (2 * Math.PI * i) / nodes.length;
      n.x = WIDTH / 2 + (WIDTH / 3) * Math.cos(angle);
      n.y = HEIGHT / 2 + (HEIGHT / 3) * Math.sin(angle);
    });
    var heat = WIDTH / 10;
    for (var step = 0; step < STEPS; step++) {
      nodes.forEach(function (n) { n.dx = 0; n.dy = 0; });
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j];
          var x = a.x - b.x, y = a.y - b.y;
          var d = Math.max(Math.sqrt(x * x + y * y), 0.01);
          var push = (k * k) / d;
          a.dx += (x / d) * push; a.dy += (y / d) * push;
          b.dx -= (x / d) * push; b.dy -= (y / d) * push;
        }
      }
      edges.forEach(function (e) {
        var x = e.s.x - e.t.x, y = e.s.y - e.t.y;
        var d = Math.max(Math.sqrt(x * x + y * y), 0.01);
        var pull = (d * d) / k;
        e.s.dx -= (x / d) * pull; e.s.dy -= (y / d) * pull;
        e.t.dx += (x / d) * pull; e.t.dy += (y / d) * pull;
      });
      nodes.forEach(function (n) {
        n.dx += (WIDTH / 2 - n.x) * 0.01 * k; // a little gravity keeps parts together
        n.dy += (HEIGHT / 2 - n.y) * 0.01 * k;
        var d = Math.max(Math.sqrt(n.dx * n.dx + n.dy * n.dy), 0.01);
        var move = Math.min(d, heat);
        n.x = Math.min(WIDTH - 30, Math.max(30, n.x + (n.dx / d) * move));
        n.y = Math.min(HEIGHT - 30, Math.max(30, n.y + (n.dy / d) * move));
      });
      heat *= 0.98;
    }
  }

  function draw(figure, data) {
    var nodes = data.nodes.slice(0, MAX_NODES);
    if (!nodes.length) return;
    var byKey = {};
    nodes.forEach(function (n) { byKey[n.key] = n; });
    var edges = data.edges.filter(function (e) { return byKey[e.source] && byKey[e.target]; })
      .map(function (e) { return { s: byKey[e.source], t: byKey[e.target], data: e }; });
    layout(nodes, edges);
    var most = nodes[0].letters || 1;
    var heaviest = edges.length ? edges[0].data.letters : 1;
    var svg = el("svg", {
      viewBox: "0 0 " + WIDTH + " " + HEIGHT, role: "group",
      "aria-labelledby": "network-caption"
    });
    var defs = el("defs", {}, svg);
    var marker = el("marker", {
      id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
      markerWidth: "10", markerHeight: "10", markerUnits: "userSpaceOnUse",
      orient: "auto-start-reverse"
    }, defs);
    el("path", { d: "M 0 0 L 10 5 L 0 10 z", "class": "arrow" }, marker);
    var edgeLayer = el("g", { "class": "edges" }, svg);
    var nodeLayer = el("g", { "class": "nodes" }, svg);
    edges.forEach(function (e) {
      var link = el("a", {
        href: e.data.url, "class": "edge",
        "aria-label": window.lettersText.counted("edgeLabel", e.data.letters, { from: e.s.name, to: e.t.name })
      }, edgeLayer);
      var x = e.t.x - e.s.x, y = e.t.y - e.s.y;
      var d = Math.max(Math.sqrt(x * x + y * y), 0.01);
      var rs = radius(e.s.letters, most), rt = radius(e.t.letters, most) + 2;
      var ends = {
        x1: e.s.x + (x / d) * rs, y1: e.s.y + (y / d) * rs,
        x2: e.t.x - (x / d) * rt, y2: e.t.y - (y / d) * rt
      };
      el("line", Object.assign({ "class": "hit" }, ends), link); // a wide target for pointers
      el("line", Object.assign({
        "stroke-width": 1 + 5 * (e.data.letters / heaviest), "marker-end": "url(#arrow)"
      }, ends), link);
      el("title", {}, link).textContent = e.s.name + " → " + e.t.name + ": " + e.data.letters;
    });
    nodes.forEach(function (n) {
      var link = el("a", {
        href: n.url, "class": "node",
        "aria-label": window.lettersText.counted("nodeLabel", n.letters, { name: n.name })
      }, nodeLayer);
      el("circle", { cx: n.x, cy: n.y, r: radius(n.letters, most) }, link);
      var label = el("text", { x: n.x, y: n.y + radius(n.letters, most) + 12, "text-anchor": "middle" }, link);
      label.textContent = n.name.length > 32 ? n.name.slice(0, 30) + "…" : n.name;
      el("title", {}, link).textContent = window.lettersText.counted("nodeLabel", n.letters, { name: n.name });
    });
    document.getElementById("network-graph").appendChild(svg);
    figure.hidden = false;
  }

  function start() {
    var figure = document.getElementById("network-figure");
    if (!figure) return;
    try {
      draw(figure, JSON.parse(figure.getAttribute("data-graph")));
    } catch (error) {
      // the tables stay: the graph is an extra
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
