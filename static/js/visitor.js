// The visitor's own parts of a public page (docs/caching.md): the page is the same for
// everyone, so after it loads this asks /visitor/ for the mini cart, any messages and
// one-use tokens for the page's forms. Without this file the page still works: the
// mini cart is a link to the cart, and a form sent without its token is shown again
// by the server with one.
(function () {
  "use strict";

  function fillMiniCart(cart) {
    var summary = document.querySelector("[data-mini-cart-summary]");
    if (summary && cart) summary.textContent = cart.summary ? ": " + cart.summary : "";
  }

  function showMessages(list) {
    var region = document.querySelector("[data-messages]");
    if (!region || !list || !list.length) return;
    list.forEach(function (message) {
      var p = document.createElement("p");
      p.className = "message message--" + message.level;
      p.innerHTML = message.html; // escaped by the server unless our own code made it
      region.appendChild(p);
    });
  }

  function fillTokens(tokens) {
    document.querySelectorAll("input[data-form-token]").forEach(function (input) {
      var token = tokens && tokens[input.getAttribute("data-form-token")];
      if (token && !input.value) input.value = token;
    });
  }

  function load() {
    var names = [];
    document.querySelectorAll("input[data-form-token]").forEach(function (input) {
      if (!input.value) names.push(input.getAttribute("data-form-token"));
    });
    var url = "/visitor/" + (names.length ? "?tokens=" + encodeURIComponent(names.join(",")) : "");
    if (!window.fetch) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        fillMiniCart(data.cart);
        showMessages(data.messages);
        fillTokens(data.tokens);
      })
      .catch(function () { /* the page works without it */ });
  }

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      // Back from another page: the tokens may have been used meanwhile.
      document.querySelectorAll("input[data-form-token]").forEach(function (input) { input.value = ""; });
      load();
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
})();
