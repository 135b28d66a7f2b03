// The live share page: follows one room over WebSocket, read-only.
// Wire: subprotocol push.v1.json — each WebSocket message is one ClientFrame / ServerFrame in the
// canonical protobuf JSON mapping (lowerCamelCase fields, 64-bit numbers as strings, bytes as base64).
// Payloads are shown with textContent only: never parsed as HTML.
// While its tab is hidden the page is in background mode: the server keeps it in the room's
// presence but sends nothing; when shown again it sends its last position and gets what it missed.
(function () {
  'use strict';

  var RECENT = 50;               // messages fetched with History when the page opens
  var BACKOFF_MIN_MS = 500;
  var BACKOFF_MAX_MS = 10000;

  var room = decodeURIComponent(location.pathname.replace(/^\/share\//, ''));
  var token = new URLSearchParams(location.search).get('token') || '';
  var wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';

  var el = {
    room: document.getElementById('room'),
    status: document.getElementById('status'),
    members: document.getElementById('members'),
    applets: document.getElementById('applets'),
    appletList: document.getElementById('applet-list'),
    messages: document.getElementById('messages'),
    empty: document.getElementById('empty')
  };

  var epoch = null;              // the channel's epoch of the messages shown
  var lastSeq = 0;               // highest seq shown: where a reconnect resumes
  var shown = new Set();         // seqs shown for this epoch: never twice
  var appletVersions = new Map();
  var socket = null;
  var nextId = 1;
  var heartbeat = null;
  var attempts = 0;
  var stopped = false;
  var appletSyncId = -1;
  var following = false;         // subscribed on the current connection
  var background = false;        // background mode asked for on the current connection
  var textDecoder = new TextDecoder('utf-8');

  // For tests and the curious: how many times the page opened a connection.
  window.sharePage = { connects: 0 };

  el.room.textContent = room;
  document.title = room + ' · live';

  function setStatus(state, text) {
    el.status.dataset.state = state;
    el.status.textContent = text;
  }

  function send(body) {
    var frame = Object.assign({ id: nextId++ }, body);
    socket.send(JSON.stringify(frame));
    return frame.id;
  }

  function connect() {
    setStatus(attempts === 0 ? 'connecting' : 'reconnecting', attempts === 0 ? 'connecting…' : 'reconnecting…');
    window.sharePage.connects++;
    var ws = new WebSocket(wsUrl, 'push.v1.json');
    socket = ws;
    ws.onopen = function () {
      send({ connect: { token: token, protocolVersion: 1, client: 'share-page' } });
    };
    ws.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      onFrame(frame);
    };
    ws.onclose = function () {
      if (socket !== ws) {
        return;
      }
      following = false;
      background = false;
      clearInterval(heartbeat);
      heartbeat = null;
      socket = null;
      if (!stopped) {
        scheduleReconnect(null);
      }
    };
  }

  function scheduleReconnect(afterMs) {
    attempts++;
    var backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, attempts - 1));
    var delay = afterMs != null ? afterMs : backoff / 2 + Math.random() * backoff / 2;
    setStatus('reconnecting', 'offline, reconnecting in ' + Math.ceil(delay / 1000) + ' s…');
    setTimeout(connect, delay);
  }

  function onFrame(f) {
    if (f.connected) {
      var every = Number(f.connected.heartbeatMs) || 25000;
      heartbeat = setInterval(function () {
        if (socket && socket.readyState === WebSocket.OPEN) {
          send({ ping: { nonce: String(Date.now()) } });
        }
      }, every);
      var subscribe = { channel: room };
      if (epoch !== null) {
        subscribe.since = { epoch: epoch, seq: String(lastSeq) };
      }
      send({ subscribe: subscribe });
    } else if (f.subscribed) {
      onSubscribed(f.subscribed);
    } else if (f.backgrounded) {
      setStatus('background', 'paused while hidden');
    } else if (f.foregrounded) {
      (f.foregrounded.channels || []).forEach(onResumed);
    } else if (f.message) {
      show(f.message);
    } else if (f.history) {
      (f.history.messages || []).forEach(show);
    } else if (f.applets) {
      (f.applets.states || []).forEach(showApplet);
    } else if (f.applet) {
      showApplet(f.applet);
    } else if (f.goAway) {
      var after = Number(f.goAway.reconnectAfterMs) || 0;
      var ws = socket;
      socket = null;              // onclose must not schedule a second reconnect
      following = false;
      background = false;
      clearInterval(heartbeat);
      if (ws) {
        ws.close();
      }
      scheduleReconnect(Math.max(after, BACKOFF_MIN_MS));
    } else if (f.error) {
      onError(f);
    }
  }

  function onSubscribed(s) {
    attempts = 0;
    following = true;
    onResumed(s);
    if (document.hidden) {
      enterBackground();          // reconnected while hidden
    }
  }

  // A subscribe answer, or a channel's part of a foreground answer: the same fields.
  function onResumed(s) {
    if (s.channel !== room) {
      return;
    }
    el.members.textContent = (Number(s.members) || 0) + ' in the room';
    var resumed = epoch !== null && s.recovered && s.epoch === epoch;
    if (!resumed) {
      if (epoch !== null && s.epoch !== epoch) {
        notice('The room\u2019s history was reset.');
        clearMessages();
      }
      epoch = s.epoch || '';
      var last = Number(s.lastSeq) || 0;
      if (last > 0) {
        var from = Math.max(lastSeq, last - RECENT);
        send({ history: { channel: room, sinceSeq: String(from), limit: RECENT } });
      }
    }
    setStatus('live', 'live');
    appletSyncId = send({ appletSync: { room: room } });
  }

  function enterBackground() {
    if (following && !background) {
      background = true;
      send({ background: {} });
    }
  }

  function leaveBackground() {
    if (!following || !background) {
      return;
    }
    background = false;
    var since = {};
    if (epoch !== null) {
      since[room] = { epoch: epoch, seq: String(lastSeq) };
    }
    send({ foreground: { since: since } });
  }

  document.addEventListener('visibilitychange', function () {
    if (document.hidden) {
      enterBackground();
    } else {
      leaveBackground();
    }
  });

  function onError(f) {
    var e = f.error;
    if (f.replyTo === appletSyncId) {
      return;                     // no applets here (or not supported): show nothing
    }
    if (e.fatal || e.code === 'FORBIDDEN' || e.code === 'UNAUTHENTICATED' || e.code === 'TOKEN_EXPIRED') {
      if (e.code === 'UNAUTHENTICATED' || e.code === 'TOKEN_EXPIRED' || e.code === 'FORBIDDEN') {
        stopped = true;           // a new link is needed: retrying cannot help
        setStatus('error', 'cannot follow this room: ' + (e.message || e.code));
      }
    }
  }

  function show(m) {
    if (m.channel !== room) {
      return;
    }
    if (epoch !== null && m.epoch && m.epoch !== epoch) {
      return;                     // from an older history; the subscribe answer decides the epoch
    }
    var seq = Number(m.seq);
    if (shown.has(seq)) {
      return;
    }
    shown.add(seq);
    lastSeq = Math.max(lastSeq, seq);

    var li = document.createElement('li');
    li.className = 'message';
    li.dataset.seq = String(seq);
    var kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = m.kind || 'message';
    var text = document.createElement('span');
    text.className = 'text';
    text.textContent = decodePayload(m.payload);
    var time = document.createElement('time');
    var ms = Number(m.timestampMs) || 0;
    if (ms > 0) {
      var date = new Date(ms);
      time.dateTime = date.toISOString();
      time.textContent = date.toLocaleTimeString();
    }
    li.append(kind, text, time);

    // Keep seq order whatever order history and live messages arrive in.
    var next = null;
    for (var c = el.messages.lastElementChild; c; c = c.previousElementSibling) {
      if (Number(c.dataset.seq) < seq) {
        break;
      }
      next = c;
    }
    el.messages.insertBefore(li, next);
    el.empty.hidden = true;
  }

  function showApplet(a) {
    var id = a.appletId || '';
    var version = Number(a.version) || 0;
    if ((appletVersions.get(id) || 0) >= version) {
      return;
    }
    appletVersions.set(id, version);
    var li = null;
    for (var c = el.appletList.firstElementChild; c; c = c.nextElementSibling) {
      if (c.dataset.appletId === id) {
        li = c;
      }
    }
    if (!li) {
      li = document.createElement('li');
      li.dataset.appletId = id;
      el.appletList.append(li);
    }
    var name = document.createElement('strong');
    name.textContent = id;
    var content = document.createElement('span');
    content.className = 'text';
    content.textContent = decodePayload(a.content);
    var v = document.createElement('span');
    v.className = 'version';
    v.textContent = 'v' + version;
    li.replaceChildren(name, content, v);
    el.applets.hidden = false;
  }

  function decodePayload(base64) {
    if (!base64) {
      return '';
    }
    try {
      var binary = atob(base64);
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
      }
      return textDecoder.decode(bytes);
    } catch (e) {
      return '(binary payload)';
    }
  }

  function clearMessages() {
    shown.clear();
    lastSeq = 0;
    el.messages.replaceChildren();
    el.empty.hidden = false;
  }

  function notice(text) {
    var p = document.createElement('p');
    p.className = 'notice';
    p.textContent = text;
    el.messages.before(p);
  }

  if (!token) {
    setStatus('error', 'this link has no token');
  } else {
    connect();
  }
})();
