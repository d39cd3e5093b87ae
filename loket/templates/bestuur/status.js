// Polls the bestuur's status endpoint and updates the table (served by loket.bestuur.views).
(function () {
  // Poll the small status endpoint; only cells whose text changed are updated, and the change is announced.
  var live = document.getElementById("live");
  function refresh() {
    fetch("/bestuur/vragen/status", {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var changed = 0;
        data.vragen.forEach(function (v) {
          var s = document.querySelector('[data-status="' + v.id + '"]');
          var i = document.querySelector('[data-invaller="' + v.id + '"]');
          if (s && s.textContent !== v.status_tekst) { s.textContent = v.status_tekst; changed++; }
          if (i && i.textContent !== (v.invaller || "—")) { i.textContent = v.invaller || "—"; }
        });
        if (changed) { live.textContent = "De status van " + changed + " vraag/vragen is bijgewerkt."; }
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  setInterval(refresh, 15000);
})();
