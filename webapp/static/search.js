// Progressive enhancement for the search page's filters. Without JavaScript every bar and
// facet value is a plain link and the from/to fields set any range; with it:
// - dragging across the date histogram sets from/to to the bars' periods and applies them;
// - a facet with many values gets a field that narrows the values shown as one types;
// - after a facet link reloads the page, the same value's link (or its facet) has the focus.
(function () {
  "use strict";

  var FOCUS_KEY = "letters-facet-focus";

  // -- dragging across the histogram ---------------------------------------------------------
  function barAt(x, y) {
    var element = document.elementFromPoint(x, y);
    return element && element.closest(".histogram li[data-from]");
  }

  function bars(histogram) {
    return Array.prototype.slice.call(histogram.querySelectorAll("li[data-from]"));
  }

  function marked(histogram, first, last) {
    var all = bars(histogram);
    var a = all.indexOf(first);
    var b = all.indexOf(last);
    var low = Math.min(a, b);
    var high = Math.max(a, b);
    all.forEach(function (bar, i) {
      bar.classList.toggle("is-in-range", i >= low && i <= high);
    });
    return [all[low], all[high]];
  }

  function applyRange(first, last) {
    var form = document.querySelector(".date-form");
    var from = document.getElementById("from");
    var to = document.getElementById("to");
    if (!form || !from || !to) return;
    from.value = first.getAttribute("data-from");
    to.value = last.getAttribute("data-to");
    // a year chosen in the year facet would narrow the range again: the range replaces it
    form.querySelectorAll('input[type=hidden][name="year"]').forEach(function (input) {
      input.remove();
    });
    form.submit();
  }

  document.querySelectorAll(".histogram").forEach(function (histogram) {
    var start = null;
    var dragged = false;

    histogram.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      start = barAt(event.clientX, event.clientY);
      dragged = false;
    });
    histogram.addEventListener("pointermove", function (event) {
      if (!start) return;
      var over = barAt(event.clientX, event.clientY);
      if (over && over !== start) dragged = true;
      if (dragged && over) marked(histogram, start, over);
    });
    document.addEventListener("pointerup", function (event) {
      if (!start) return;
      var end = barAt(event.clientX, event.clientY);
      var first = start;
      start = null;
      if (dragged && end) {
        var range = marked(histogram, first, end);
        applyRange(range[0], range[1]);
      } else {
        bars(histogram).forEach(function (bar) { bar.classList.remove("is-in-range"); });
      }
    });
    // a drag ends on a link: it must not also follow it
    histogram.addEventListener("click", function (event) {
      if (dragged) {
        event.preventDefault();
        dragged = false;
      }
    }, true);
  });

  // -- searching a facet's values ------------------------------------------------------------
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  document.querySelectorAll(".facet-search").forEach(function (box) {
    var facet = box.closest(".facet");
    var input = box.querySelector("input");
    var found = box.querySelector(".facet-search-found");
    var more = facet.querySelector(".facet-more");
    box.hidden = false;
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      var shown = 0;
      facet.querySelectorAll("li.facet-item").forEach(function (item) {
        var label = item.querySelector(".facet-label").textContent;
        var match = !wanted || fold(label).indexOf(wanted) >= 0;
        item.hidden = !match;
        if (match) shown += 1;
      });
      if (more && wanted) more.open = true;
      found.textContent = wanted ? window.lettersText.counted("valuesMatch", shown) : "";
    });
  });

  // -- the focus after a facet link reloads the page -----------------------------------------
  function remember(link) {
    var facet = link.closest(".facet[data-facet]");
    var item = link.closest("li.facet-item");
    if (!facet) return;
    var state = {
      facet: facet.getAttribute("data-facet"),
      value: item ? item.getAttribute("data-value") : null,
      not: link.classList.contains("facet-not"),
    };
    try {
      window.sessionStorage.setItem(FOCUS_KEY, JSON.stringify(state));
    } catch (e) { /* storage off: the focus starts at the top, as without JavaScript */ }
  }

  document.querySelectorAll(".facet[data-facet] a").forEach(function (link) {
    link.addEventListener("click", function () { remember(link); });
  });

  function restore() {
    var state;
    try {
      state = JSON.parse(window.sessionStorage.getItem(FOCUS_KEY) || "null");
      window.sessionStorage.removeItem(FOCUS_KEY);
    } catch (e) {
      return;
    }
    if (!state) return;
    var facet = document.querySelector('.facet[data-facet="' + CSS.escape(state.facet) + '"]');
    if (!facet) return;
    var target = null;
    facet.querySelectorAll("li.facet-item").forEach(function (item) {
      if (item.getAttribute("data-value") === state.value) {
        target = item.querySelector(state.not ? "a.facet-not" : "a.facet-link");
      }
    });
    if (target) {
      var details = target.closest("details");
      if (details) details.open = true;
    }
    (target || facet.querySelector("h3")).focus();
  }
  restore();
})();
