// Quick exit, on every page: the header link, or the Esc key, leaves for a
// neutral page at once. location.replace puts the neutral page in place of
// this one in the tab's history, so Back does not return here; the forecast
// kept for this tab (sessionStorage) is dropped first. Loaded as a classic
// script in <head> so that Esc works before the rest of the page has loaded.
(function () {
  'use strict';
  function neutralUrl() {
    var link = document.getElementById('quick-exit');
    return link ? link.href : 'https://www.google.com/search?q=weather';
  }
  function quickExit(ev) {
    if (ev) ev.preventDefault();
    try { sessionStorage.clear(); } catch (e) { /* storage may be blocked; leave anyway */ }
    document.title = 'Weather';
    document.documentElement.style.visibility = 'hidden';
    window.location.replace(neutralUrl());
  }
  window.walkawayQuickExit = quickExit;
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && !ev.defaultPrevented) quickExit(ev);
  });
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (t && t.closest && t.closest('#quick-exit')) quickExit(ev);
  });
}());
