// Progressive enhancement for letter pages: copy a passage link or a citation, and move
// between the marked words of a query ("match 3 of 17", keys n and p).
// Without JavaScript the ¶ numbers are plain links, citations plain text, and #m1 the first match.
(function () {
  "use strict";

  // The interface strings in the page's language (webapp/uitext.py): text(key, {n: 3}) fills
  // {n}; counted(key, n, values) picks the plural form of the page's language first.
  var block = document.getElementById("ui-text");
  var strings = block ? JSON.parse(block.textContent) : {};
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(strings.lang || "en") : null;
  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }
  function text(key, values) { return fill(strings[key], values); }
  function counted(key, n, values) {
    var forms = strings[key] || {};
    var form = forms[plurals ? plurals.select(n) : (n === 1 ? "one" : "other")] || forms.other;
    var all = { n: n.toLocaleString(strings.lang || "en") };
    for (var name in values || {}) all[name] = values[name];
    return fill(form, all);
  }
  window.lettersText = { text: text, counted: counted };

  var toast = document.getElementById("toast");
  var toastTimer = null;

  function say(message) {
    if (!toast) return;
    toast.textContent = message;
    toast.classList.add("is-visible");
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () {
      toast.classList.remove("is-visible");
    }, 2500);
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(text, element, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(done); },
        function () { fallback(element); }
      );
    } else {
      fallback(element);
    }
  }

  function fallback(element) {
    if (element) {
      selectText(element);
      say(text("copyHint"));
    }
  }

  function permanentUrl(n) {
    return window.location.origin + window.location.pathname + "#p" + n;
  }

  // ¶ links: follow the link (the passage becomes the target) and copy its permanent URL.
  document.querySelectorAll(".letter-text a.pn").forEach(function (link) {
    link.addEventListener("click", function () {
      var n = link.getAttribute("data-n");
      copy(permanentUrl(n), null, text("linkCopied", { n: n }));
    });
  });

  // The targeted passage also gets a class (kept in step with the address's #p<n>).
  function markTarget() {
    document.querySelectorAll(".passage.is-target").forEach(function (el) {
      el.classList.remove("is-target");
    });
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.classList.contains("passage")) target.classList.add("is-target");
  }
  window.addEventListener("hashchange", markTarget);
  markTarget();

  // Previous/next match: the marks are <mark id="m1">…<mark id="mN"> in reading order.
  var nav = document.querySelector(".match-nav");
  var marks = Array.prototype.slice.call(document.querySelectorAll(".letter-text mark[id^='m']"));
  if (nav && marks.length) {
    var position = nav.querySelector(".match-position");
    var current = -1;
    var hashMatch = /^#m(\d+)$/.exec(window.location.hash);
    if (hashMatch) current = Math.min(parseInt(hashMatch[1], 10), marks.length) - 1;
    var go = function (step) {
      if (current >= 0) marks[current].classList.remove("is-current");
      current = (current + step + marks.length) % marks.length;
      var mark = marks[current];
      mark.classList.add("is-current");
      mark.setAttribute("tabindex", "-1");
      mark.scrollIntoView({ block: "center" });
      mark.focus({ preventScroll: true });
      history.replaceState(null, "", "#" + mark.id);
      position.textContent = text("matchPosition", { n: current + 1, total: marks.length });
    };
    nav.hidden = false;
    nav.querySelector(".match-next").addEventListener("click", function () { go(1); });
    nav.querySelector(".match-prev").addEventListener("click", function () { go(-1); });
    if (current >= 0) marks[current].classList.add("is-current");
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "n") { event.preventDefault(); go(1); }
      else if (event.key === "p") { event.preventDefault(); go(-1); }
    });
  }

  // The working set: letter ids in local storage, a "Keep" box beside each hit and on each
  // letter page, the menu's link carrying the set (/set?id=…). Without JavaScript, /set works
  // with ids in its address.
  var SET_KEY = "letters-working-set";
  var setLink = document.querySelector("a.set-nav");
  function loadSet() {
    try {
      var ids = JSON.parse(window.localStorage.getItem(SET_KEY) || "[]");
      return Array.isArray(ids) ? ids.filter(function (i) { return typeof i === "string"; }) : [];
    } catch (e) { return []; }
  }
  function setAddress(ids) {
    var base = setLink ? setLink.getAttribute("data-base") : "/set";
    return base + (ids.length ? "?" + ids.map(function (i) { return "id=" + encodeURIComponent(i); }).join("&") : "");
  }
  function showSet(ids) {
    if (!setLink) return;
    setLink.href = setAddress(ids);
    setLink.textContent = ids.length ? text("workingSetCount", { n: ids.length }) : text("workingSet");
  }
  function saveSet(ids) {
    try { window.localStorage.setItem(SET_KEY, JSON.stringify(ids)); } catch (e) { /* private mode */ }
    showSet(ids);
  }
  function keepBox(container, id, title) {
    var label = document.createElement("label");
    label.className = "keep";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = loadSet().indexOf(id) >= 0;
    box.setAttribute("aria-label", text("keepLabel", { title: title }));
    box.addEventListener("change", function () {
      var ids = loadSet().filter(function (i) { return i !== id; });
      if (box.checked) ids.push(id);
      saveSet(ids);
      say(box.checked ? text("kept", { n: ids.length }) : text("removed"));
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + text("keep")));
    container.appendChild(label);
  }
  document.querySelectorAll("li.hit[data-id]").forEach(function (hit) {
    var title = hit.querySelector(".hit-title");
    if (title) keepBox(hit.querySelector(".hit-meta") || hit, hit.getAttribute("data-id"), title.textContent.trim());
  });
  var letterArticle = document.querySelector("article.letter[data-id]");
  if (letterArticle) {
    var heading = letterArticle.querySelector("#letter-title");
    keepBox(letterArticle.querySelector(".letter-header") || letterArticle, letterArticle.getAttribute("data-id"), heading ? heading.textContent.trim() : "");
  }
  if (document.body.classList.contains("set-page")) {
    // the set on this page is the working set: adopt it, and keep removing and clearing in step
    var shown = Array.prototype.map.call(document.querySelectorAll(".reading-list li[data-id]"), function (li) { return li.getAttribute("data-id"); });
    var stored = loadSet();
    if (!window.location.search && stored.length) {
      window.location.replace(setAddress(stored));  // /set typed or bookmarked bare: the kept set
    } else {
      saveSet(shown);
    }
    var clear = document.querySelector("a.set-clear");
    if (clear) clear.addEventListener("click", function () { saveSet([]); });
  } else {
    showSet(loadSet());
  }

  // A copy button beside every citation.
  document.querySelectorAll(".cite-box").forEach(function (box) {
    var cited = box.querySelector(".cite-text");
    if (!cited) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = text("copyCitation");
    button.addEventListener("click", function (event) {
      event.preventDefault();
      copy(cited.textContent, cited, text("citationCopied"));
    });
    box.appendChild(document.createTextNode(" "));
    box.appendChild(button);
  });
})();
