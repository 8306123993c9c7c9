// The live view of a meeting: each Server-Sent Event carries the room's
// view; the page shows it as it comes. Without JavaScript the page still
// shows the meeting as it was when opened.
(function () {
  var root = document.getElementById('live');
  if (!root || !window.EventSource) return;
  var url = root.getAttribute('data-stream') + '?after=' + root.getAttribute('data-seq');
  var set = function (id, text) { var el = document.getElementById(id); if (el) el.textContent = text; };
  var list = function (id, items, none) {
    var ul = document.getElementById(id);
    if (!ul) return;
    while (ul.firstChild) ul.removeChild(ul.firstChild);
    (items.length ? items : [none]).forEach(function (t) { var li = document.createElement('li'); li.textContent = t; ul.appendChild(li); });
  };
  var source = new EventSource(url);
  source.addEventListener('meeting', function (e) {
    var v = JSON.parse(e.data);
    root.setAttribute('data-seq', v.seq);
    set('live-status', v.status);
    set('live-item', v.item || '—');
    set('live-question', v.question || '现在没有待决的动议。');
    set('live-vote', v.vote || '');
    set('live-present', v.present + ' / ' + v.members + '（法定人数 ' + v.quorum + '）');
    set('live-last', v.last ? '最近更新 ' + v.last : '');
    list('live-stack', v.stack, '（无）');
    list('live-results', v.results, '还没有表决。');
  });
})();
