// Progressive enhancement of the add-to-cart form: shows the chosen pack's price and
// adds without a full reload. Without this file the plain form does the same job.
(function () {
  "use strict";

  function showMessage(text, kind, link) {
    var region = document.querySelector(".messages");
    if (!region) return;
    var p = document.createElement("p");
    p.className = "message message--" + kind;
    p.setAttribute("data-cart-message", "");
    p.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = "View your cart";
      p.appendChild(document.createTextNode(" "));
      p.appendChild(a);
    }
    region.replaceChildren(p);
  }

  // A refusal is said at the form, where the visitor is (on a phone the messages at the top of
  // the page are out of sight), as an alert: a fresh element each time, so a screen reader
  // announces the same refusal sent twice. The plain form shows it in an error summary there.
  function showRefusal(form, text) {
    clearRefusal(form);
    // An earlier "added to your cart" must not stand next to this refusal.
    document.querySelectorAll("[data-cart-message]").forEach(function (old) {
      old.remove();
    });
    var alert = document.createElement("p");
    alert.className = "field-error add-to-cart__error";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-add-to-cart-error", "");
    alert.textContent = text;
    var row = form.querySelector(".add-to-cart__row");
    form.insertBefore(alert, row || null);
  }

  function clearRefusal(form) {
    var old = form.querySelector("[data-add-to-cart-error]");
    if (old) old.remove();
  }

  function updateMiniCart(html) {
    var current = document.querySelector("[data-mini-cart]");
    if (!current || !html) return;
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.firstElementChild;
    if (fresh) current.replaceWith(fresh);
  }

  // A link to one pack (?pack=90, as in the shopping listings of catalog/merchant_listing.py)
  // preselects it. Done here, not by the server: the cached page is the same bytes for every
  // visitor and address (the caches drop ?pack=); without script the first pack in stock is
  // chosen, as on any visit.
  function preselectPack() {
    var wanted = new URLSearchParams(window.location.search).get("pack");
    if (!wanted || !/^[0-9]+$/.test(wanted)) return;
    var radio = document.querySelector(
      'input[name=pack][data-pack-quantity="' + wanted + '"]:not(:disabled)'
    );
    if (radio) radio.checked = true;
  }

  function enhance(form) {
    var priceLine = form.querySelector("[data-cart-price-line]");
    var price = form.querySelector("[data-cart-price]");
    var button = form.querySelector("button[type=submit]");

    function showPrice() {
      var chosen = form.querySelector("input[name=pack]:checked");
      if (chosen && price) price.textContent = chosen.getAttribute("data-price");
    }
    if (priceLine && price) {
      priceLine.hidden = false;
      showPrice();
      form.addEventListener("change", function (event) {
        if (event.target.name === "pack") showPrice();
      });
    }

    if (!window.fetch || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      if (!form.checkValidity()) return; // let the browser explain what is wrong
      event.preventDefault();
      if (form.getAttribute("aria-busy") === "true") return;
      form.setAttribute("aria-busy", "true");
      var pressed = button && document.activeElement === button;
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) {
            // Refused without JSON (e.g. a cross-site check): let the plain form show why.
            form.submit();
            return null;
          }
          return response.json();
        })
        .then(function (data) {
          if (!data) return;
          if (data.redirect) {
            // Questions to answer first (a pharmacy medicine): the same page a plain form gets.
            window.location.assign(data.redirect);
            return;
          }
          if (data.ok) {
            clearRefusal(form);
            updateMiniCart(data.mini_cart);
            showMessage(data.message, "success", data.cart_url);
          } else {
            showRefusal(form, data.message);
          }
        })
        .catch(function () {
          showRefusal(form, "Your cart could not be reached. Check your connection and try again.");
        })
        .finally(function () {
          form.removeAttribute("aria-busy");
          if (button) button.disabled = false;
          // Disabling the pressed button took the focus away: back where the visitor was.
          var lost = !document.activeElement || document.activeElement === document.body;
          if (pressed && lost) button.focus();
        });
    });
  }

  function init() {
    preselectPack();
    document.querySelectorAll("form[data-add-to-cart]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
