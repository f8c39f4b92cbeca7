/* Sankoré — course widget for partner sites: reads the platform's public API (no cookie, no
   other site) and draws the cards in a shadow root, so neither page's styles leak. */
(function () {
  "use strict";
  var C = {{ config }};
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var d = script.dataset;
  var lang = d.lang === "en" ? "en" : "fr";
  var t = C.strings[lang];
  var n = parseInt(d.count, 10);
  n = isNaN(n) ? C.counts[2] : Math.min(Math.max(n, C.counts[0]), C.counts[1]);
  var query = new URLSearchParams();
  C.filters.forEach(function (name) {
    if (d[name]) query.set(name, d[name]);
  });
  var catalogUrl = withUtm(origin + C.catalog + (String(query) ? "?" + query : ""));
  query.set("page_size", String(n));

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  function withUtm(url) {
    return url + (url.indexOf("?") < 0 ? "?" : "&") + C.utm;
  }
  function link(href, text) {
    var a = el("a", "", text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener";
    a.appendChild(el("span", "sk-hidden", " " + t.newTab));
    return a;
  }

  var host = el("div", "sankore-widget");
  script.parentNode.insertBefore(host, script);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var css = el("link");
  css.rel = "stylesheet";
  css.href = origin + C.css;
  root.appendChild(css);
  var section = el("section", "sk-widget");
  section.lang = lang;
  section.setAttribute("aria-label", t.heading);
  section.appendChild(el("h2", "sk-heading", t.heading));
  root.appendChild(section);

  fetch(origin + C.api + "?" + query, {
    credentials: "omit",
    headers: { "Accept-Language": lang },
  })
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(function (data) {
      if (!data.results.length) {
        section.appendChild(el("p", "sk-note", t.empty));
        return;
      }
      var list = el("ul", "sk-list");
      data.results.forEach(function (course) {
        var card = el("li", "sk-card");
        var title = el("h3", "sk-title");
        title.appendChild(link(withUtm(course.url), course.title));
        card.appendChild(title);
        var owners = course.owners.map(function (owner) { return owner.name; }).join(", ");
        if (owners) card.appendChild(el("p", "sk-owners", t.by + " " + owners));
        card.appendChild(el("p", "sk-summary", course.summary));
        if (course.availability_label) {
          card.appendChild(el("p", "sk-state", course.availability_label));
        }
        list.appendChild(card);
      });
      section.appendChild(list);
    })
    .catch(function () {
      section.appendChild(el("p", "sk-note", t.error));
    })
    .then(function () {
      var more = el("p", "sk-more");
      more.appendChild(link(catalogUrl, t.more));
      section.appendChild(more);
    });
})();
