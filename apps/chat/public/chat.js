// The chat page: plain browser JavaScript on @stomp/stompjs (the `StompJs` global of its UMD bundle).
// It connects with the CONNECT header `login: <name>` (the server's `authenticate` option turns it
// into the session's principal) and then only talks STOMP to the server's @MessageMapping controller:
//   SEND      /app/chat/<room>           {text}    → a line on /topic/chat.<room>
//   SEND      /app/chat/<room>/typing    {typing}  → /topic/chat.<room>.typing
//   SEND      /app/private/<user>        {text}    → /user/queue/private of both users
//   SUBSCRIBE /app/rooms, /app/presence, /app/chat/<room>/history: one reply each (initial data)
//   SUBSCRIBE /topic/rooms, /topic/presence: updates; /user/queue/errors: what the server refused
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var nameInput = $('name');
  var roomInput = $('room');
  var messageInput = $('message');
  var sendButton = $('send');
  var toSelect = $('to');
  var messages = $('messages');
  var statusBadge = $('status');
  var destinationLabel = $('destination');
  var roomList = $('rooms');
  var userList = $('users');
  var typingLine = $('typing');
  var errorList = $('errors');
  var meLabel = $('me');

  var NAME = /^[A-Za-z0-9_-]{1,32}$/;
  var TYPING_IDLE_MS = 3000; // we say "stopped typing" after this long without a key
  var TYPING_SHOWN_MS = 6000; // someone's "typing" fades if no update came for this long
  var ERROR_SHOWN_MS = 10000;

  // A room is one destination segment: keep it to characters that are neither separators ('.', '/')
  // nor wildcards ('*'), so free text cannot subscribe to more than one room.
  function roomName(raw) {
    var room = String(raw).trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
    return room.slice(0, 32) || 'general';
  }
  function roomTopic(room) { return '/topic/chat.' + room; }

  var params = new URLSearchParams(location.search);
  nameInput.value = params.get('name') || localStorage.getItem('chat.name') || 'guest-' + Math.floor(1000 + Math.random() * 9000);
  roomInput.value = roomName(params.get('room') || 'general');

  var client = null; // the current StompJs.Client (a new one per name)
  var me = null; // the name the server confirmed (CONNECTED user-name)
  var wanted = null; // the name the current client connects with
  var room = roomInput.value;
  var roomSubscriptions = [];
  var seen = {}; // line ids already shown (history and live may overlap)
  var typers = {}; // name → time its "typing" expires
  var typingSent = false;
  var typingTimer = null;

  function setStatus(state, text) {
    statusBadge.dataset.state = state;
    statusBadge.textContent = text;
    var usable = state === 'connected';
    messageInput.disabled = !usable;
    sendButton.disabled = !usable;
  }

  function json(frame) {
    try { return JSON.parse(frame.body); } catch (e) { return null; }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // textContent, never innerHTML: text comes from anyone
    return node;
  }

  function lineItem(kind, from, text, at) {
    var item = element('li', 'message' + (kind ? ' message--' + kind : ''));
    item.dataset.testid = 'chat-message';
    item.appendChild(element('span', 'message__time', new Date(at || Date.now()).toLocaleTimeString()));
    if (from) item.appendChild(element('span', 'message__from', from));
    item.appendChild(element('span', 'message__text', text));
    return item;
  }

  function show(item) {
    messages.appendChild(item);
    messages.scrollTop = messages.scrollHeight;
  }

  function systemLine(text) { show(lineItem('system', '', text)); }

  /** A ChatLine of the room: a message, or someone joining or leaving. */
  function roomLineItem(line) {
    if (line.type === 'message') return lineItem(line.from === me ? 'own' : '', line.from, line.text, line.at);
    return lineItem('system', '', line.from + (line.type === 'join' ? ' joined #' : ' left #') + line.room, line.at);
  }

  function isShown(line) {
    if (!line || typeof line.id !== 'string' || seen[line.id]) return true;
    // Our own join/leave: "You joined" is said locally, and another tab of ours would only echo it.
    if ((line.type === 'join' || line.type === 'leave') && line.from === me) return true;
    seen[line.id] = true;
    return false;
  }

  function onRoomLine(frame) {
    var line = json(frame);
    if (line && line.room === room && !isShown(line)) show(roomLineItem(line));
  }

  function onHistory(frame, subscription) {
    subscription.unsubscribe(); // a @SubscribeMapping answers once
    var lines = json(frame) || [];
    var first = messages.querySelector('li.room-start');
    var anchor = first ? first.nextSibling : messages.firstChild;
    for (var i = 0; i < lines.length; i++) {
      if (!isShown(lines[i])) messages.insertBefore(roomLineItem(lines[i]), anchor);
    }
    messages.scrollTop = messages.scrollHeight;
  }

  function onPrivate(frame) {
    var line = json(frame);
    if (!line || isShown(line)) return;
    var label = line.from === me ? 'you → ' + line.to : line.from + ' → you';
    var item = lineItem('private', label, line.text, line.at);
    item.dataset.kind = 'private';
    show(item);
  }

  function onError(frame) {
    var error = json(frame) || { message: frame.body };
    showError(Array.isArray(error.details) ? error.details.join('; ') : error.message || 'Refused');
  }

  function showError(text) {
    var item = element('li', 'error', text);
    item.dataset.testid = 'error';
    errorList.appendChild(item);
    while (errorList.children.length > 3) errorList.removeChild(errorList.firstChild);
    setTimeout(function () { if (item.parentNode) item.parentNode.removeChild(item); }, ERROR_SHOWN_MS);
  }

  function renderRooms(frame) {
    var rooms = json(frame);
    if (!Array.isArray(rooms)) return;
    roomList.textContent = '';
    rooms.forEach(function (entry) {
      var item = element('li');
      var button = element('button', 'link', '#' + entry.name + (entry.members.length ? ' (' + entry.members.length + ')' : ''));
      button.type = 'button';
      button.dataset.room = entry.name;
      if (entry.name === room) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', function () { join(entry.name); });
      item.appendChild(button);
      roomList.appendChild(item);
    });
  }

  function renderUsers(frame) {
    var presence = json(frame);
    if (!presence || !Array.isArray(presence.users)) return;
    var selected = toSelect.value;
    userList.textContent = '';
    toSelect.length = 1; // keep "to the room"
    presence.users.forEach(function (user) {
      var item = element('li', user === me ? 'user user--me' : 'user', user === me ? user + ' (you)' : user);
      item.dataset.user = user;
      userList.appendChild(item);
      if (user === me) return;
      var option = element('option', '', 'privately to ' + user);
      option.value = user;
      toSelect.appendChild(option);
      item.addEventListener('click', function () { toSelect.value = user; messageInput.focus(); });
    });
    toSelect.value = presence.users.indexOf(selected) >= 0 ? selected : '';
  }

  function renderTyping() {
    var now = Date.now();
    var names = Object.keys(typers).filter(function (name) { return typers[name] > now; }).sort();
    typingLine.textContent = names.length === 0 ? '' : names.join(', ') + (names.length === 1 ? ' is typing…' : ' are typing…');
  }
  setInterval(renderTyping, 1000);

  function onTyping(frame) {
    var line = json(frame);
    if (!line || line.room !== room || line.from === me) return;
    if (line.typing) typers[line.from] = Date.now() + TYPING_SHOWN_MS;
    else delete typers[line.from];
    renderTyping();
  }

  function sendTyping(typing) {
    if (!client || !client.connected || typingSent === typing) return;
    typingSent = typing;
    client.publish({ destination: '/app/chat/' + room + '/typing', body: JSON.stringify({ typing: typing }), headers: { 'content-type': 'application/json' } });
  }

  function join(newRoom) {
    sendTyping(false);
    roomSubscriptions.forEach(function (s) { s.unsubscribe(); });
    roomSubscriptions = [];
    room = newRoom;
    roomInput.value = room;
    destinationLabel.textContent = roomTopic(room);
    typers = {};
    renderTyping();
    // Private lines stay on screen; the room's lines are replaced by the new room's.
    Array.prototype.slice.call(messages.children).forEach(function (item) {
      if (item.dataset.kind !== 'private') messages.removeChild(item);
    });
    seen = {};
    Array.prototype.forEach.call(roomList.querySelectorAll('button[data-room]'), function (button) {
      if (button.dataset.room === room) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    });
    if (!client || !client.connected) return;
    var start = lineItem('system room-start', '', 'You joined #' + room);
    show(start);
    // Live lines first, then the history: a line posted in between is in both, and shown once.
    roomSubscriptions.push(client.subscribe(roomTopic(room), onRoomLine));
    roomSubscriptions.push(client.subscribe(roomTopic(room) + '.typing', onTyping));
    var history = client.subscribe('/app/chat/' + room + '/history', function (frame) { onHistory(frame, history); });
  }

  function connect(name) {
    if (client) client.deactivate();
    wanted = name;
    me = null;
    meLabel.textContent = '';
    roomSubscriptions = [];
    var protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    var current = new StompJs.Client({
      brokerURL: protocol + '//' + location.host + '/ws',
      connectHeaders: { login: name },
      reconnectDelay: 2000, // stompjs reconnects on its own; onConnect then subscribes again
      heartbeatIncoming: 10000,
      heartbeatOutgoing: 10000,
    });
    var lastError = '';
    var everConnected = false;
    client = current;
    current.onConnect = function (frame) {
      if (client !== current) return;
      everConnected = true;
      lastError = '';
      me = frame.headers['user-name'] || name;
      meLabel.textContent = 'Signed in as ' + me;
      setStatus('connected', 'Connected');
      typingSent = false;
      current.subscribe('/user/queue/errors', onError);
      current.subscribe('/user/queue/private', onPrivate);
      current.subscribe('/topic/rooms', renderRooms);
      current.subscribe('/topic/presence', renderUsers);
      var rooms = current.subscribe('/app/rooms', function (f) { rooms.unsubscribe(); renderRooms(f); });
      var presence = current.subscribe('/app/presence', function (f) { presence.unsubscribe(); renderUsers(f); });
      join(room);
    };
    current.onWebSocketClose = function () {
      if (client !== current) return;
      roomSubscriptions = []; // the server forgets subscriptions with the connection
      if (current.active) setStatus('reconnecting', (lastError || 'Disconnected') + ' — reconnecting…');
    };
    current.onStompError = function (frame) {
      if (client !== current) return;
      // The server closes the connection after an ERROR frame; keep the reason on screen.
      lastError = 'Error: ' + (frame.headers.message || 'unknown');
      setStatus('error', lastError);
      if (!everConnected) current.deactivate(); // a refused CONNECT would be refused again
    };
    setStatus('connecting', 'Connecting as ' + name + '…');
    current.activate();
  }

  $('login').addEventListener('submit', function (event) {
    event.preventDefault();
    var name = nameInput.value.trim();
    if (!NAME.test(name)) {
      // The input's pattern stops this before here in browsers that validate forms.
      showError("Names are 1 to 32 letters, digits, '-' or '_'");
      return;
    }
    localStorage.setItem('chat.name', name);
    if (name !== wanted || !client.active) connect(name); // Enter fires both change and submit: connect once
  });
  nameInput.addEventListener('change', function () { $('login').requestSubmit(); });

  roomInput.addEventListener('change', function () { join(roomName(roomInput.value)); });

  messageInput.addEventListener('input', function () {
    if (toSelect.value) return; // typing indicators are for rooms
    sendTyping(messageInput.value.length > 0);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { sendTyping(false); }, TYPING_IDLE_MS);
  });

  $('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = messageInput.value.trim();
    if (!text || !client || !client.connected) return;
    var to = toSelect.value;
    client.publish({
      destination: to ? '/app/private/' + to : '/app/chat/' + room, // names and rooms are single safe segments
      body: JSON.stringify({ text: text }),
      headers: { 'content-type': 'application/json' },
    });
    clearTimeout(typingTimer);
    sendTyping(false);
    messageInput.value = '';
    messageInput.focus();
  });

  destinationLabel.textContent = roomTopic(room);
  var initial = nameInput.value.trim();
  if (NAME.test(initial)) connect(initial);
  else setStatus('error', "Pick a name: 1 to 32 letters, digits, '-' or '_'");
})();
