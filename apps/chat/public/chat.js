// The chat page: plain browser JavaScript on @stomp/stompjs (the `StompJs` global of its UMD bundle).
// It SUBSCRIBEs to /topic/chat.<room> and SENDs JSON { from, text, room } there; the embedded broker
// fans each message out to every subscriber, whatever protocol they use (WebSocket, TCP, stomp.py...).
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var nameInput = $('name');
  var roomInput = $('room');
  var messageInput = $('message');
  var sendButton = $('send');
  var messages = $('messages');
  var statusBadge = $('status');
  var destinationLabel = $('destination');

  // A room is one destination segment: keep it to characters that are neither separators ('.', '/')
  // nor wildcards ('*'), so "free text" cannot subscribe to more than one room.
  function roomName(raw) {
    var room = String(raw).trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
    return room.slice(0, 32) || 'general';
  }
  function destinationOf(room) { return '/topic/chat.' + room; }

  nameInput.value = localStorage.getItem('chat.name') || 'guest-' + Math.floor(1000 + Math.random() * 9000);
  nameInput.addEventListener('change', function () { localStorage.setItem('chat.name', nameInput.value.trim()); });

  function setStatus(state, text) {
    statusBadge.dataset.state = state;
    statusBadge.textContent = text;
    var usable = state === 'connected';
    messageInput.disabled = !usable;
    sendButton.disabled = !usable;
  }

  function addMessage(msg, kind) {
    var item = document.createElement('li');
    item.className = 'message' + (kind ? ' message--' + kind : '');
    item.dataset.testid = 'chat-message';
    var time = document.createElement('span');
    time.className = 'message__time';
    time.textContent = new Date().toLocaleTimeString();
    item.appendChild(time);
    if (msg.from) {
      var from = document.createElement('span');
      from.className = 'message__from';
      from.textContent = msg.from;
      item.appendChild(from);
    }
    var text = document.createElement('span');
    text.className = 'message__text';
    text.textContent = msg.text; // textContent, never innerHTML: messages come from anyone
    item.appendChild(text);
    messages.appendChild(item);
    messages.scrollTop = messages.scrollHeight;
  }

  var protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  var client = new StompJs.Client({
    brokerURL: protocol + '//' + location.host + '/ws',
    reconnectDelay: 2000, // stompjs reconnects on its own; onConnect then re-subscribes
    heartbeatIncoming: 10000,
    heartbeatOutgoing: 10000,
  });

  var room = roomName(roomInput.value);
  var subscription = null;
  var lastError = '';

  function onChatMessage(frame) {
    var msg;
    try {
      msg = JSON.parse(frame.body);
    } catch (e) {
      msg = { from: '?', text: frame.body };
    }
    if (!msg || typeof msg.text !== 'string') msg = { from: '?', text: frame.body };
    addMessage({ from: String(msg.from || 'anonymous'), text: msg.text }, msg.from === nameInput.value.trim() ? 'own' : '');
  }

  function join(newRoom) {
    if (subscription) subscription.unsubscribe();
    subscription = null;
    room = newRoom;
    roomInput.value = room;
    destinationLabel.textContent = destinationOf(room);
    messages.textContent = '';
    if (client.connected) {
      subscription = client.subscribe(destinationOf(room), onChatMessage);
      addMessage({ text: 'You joined #' + room }, 'system');
    }
  }

  client.onConnect = function () {
    lastError = '';
    setStatus('connected', 'Connected');
    join(room);
  };
  client.onWebSocketClose = function () {
    subscription = null; // the server forgets subscriptions with the connection
    if (client.active) setStatus('reconnecting', (lastError || 'Disconnected') + ' — reconnecting…');
  };
  client.onStompError = function (frame) {
    // The server closes the connection after an ERROR frame; keep the reason on screen while reconnecting.
    lastError = 'Error: ' + (frame.headers.message || 'unknown');
    setStatus('error', lastError);
  };

  roomInput.addEventListener('change', function () { join(roomName(roomInput.value)); });

  $('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = messageInput.value.trim();
    if (!text || !client.connected) return;
    var from = nameInput.value.trim() || 'anonymous';
    client.publish({
      destination: destinationOf(room),
      body: JSON.stringify({ from: from, text: text, room: room }),
      headers: { 'content-type': 'application/json' },
    });
    messageInput.value = '';
    messageInput.focus();
  });

  destinationLabel.textContent = destinationOf(room);
  setStatus('connecting', 'Connecting…');
  client.activate();
})();
