// Progressive enhancement of the add-to-cart form: shows the chosen pack's price and
// adds without a full reload. Without this file the plain form does the same job.
(function () {
  "use strict";

  function showMessage(text, kind, link) {
    var region = document.querySelector(".messages");
    if (!region) return;
    var p = document.createElement("p");
    p.className = "message message--" + kind;
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

  function updateMiniCart(html) {
    var current = document.querySelector("[data-mini-cart]");
    if (!current || !html) return;
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.firstElementChild;
    if (fresh) current.replaceWith(fresh);
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
          if (data.ok) {
            updateMiniCart(data.mini_cart);
            showMessage(data.message, "success", data.cart_url);
          } else {
            showMessage(data.message, "error");
          }
        })
        .catch(function () {
          showMessage("Your cart could not be reached. Check your connection and try again.", "error");
        })
        .finally(function () {
          form.removeAttribute("aria-busy");
          if (button) button.disabled = false;
        });
    });
  }

  function init() {
    document.querySelectorAll("form[data-add-to-cart]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
