#!/usr/bin/env python3
"""A terminal client for the nest-stomp chat demo, on stomp.py over plain TCP.

    python3 apps/chat/clients/chat.py --name py --room general

Lines typed are posted to the room; "@bob text" sends a private message to bob. Room lines,
private messages and refusals (/user/queue/errors) are printed as they come. Needs stomp.py
(`pip install stomp.py`, or Debian's `python3-stomp`).

For scripts and tests: --say TEXT posts TEXT once subscribed, --json prints each received line as
its JSON, --exit-after N exits after N chat messages (join/leave lines are not counted), and
"READY" is printed once the subscriptions are in place.
"""
import argparse
import json
import sys
import threading

import stomp


class ChatListener(stomp.ConnectionListener):
    def __init__(self, args, done):
        self.args = args
        self.done = done
        self.messages = 0
        self.ready = threading.Event()
        self.failed = None

    def on_receipt(self, frame):
        if frame.headers.get('receipt-id') == 'subscribed':
            self.ready.set()

    def on_error(self, frame):
        self.failed = frame.headers.get('message', frame.body)
        print('ERROR: %s' % self.failed, file=sys.stderr, flush=True)
        self.ready.set()
        self.done.set()

    def on_disconnected(self):
        self.done.set()

    def on_message(self, frame):
        destination = frame.headers.get('destination', '')
        try:
            line = json.loads(frame.body)
        except ValueError:
            line = {'text': frame.body}
        if self.args.json:
            print(json.dumps({'destination': destination, 'line': line}), flush=True)
        else:
            print(describe(destination, line), flush=True)
        if destination.startswith('/topic/chat.') and isinstance(line, dict) and line.get('type') == 'message':
            self.messages += 1
            if self.args.exit_after and self.messages >= self.args.exit_after:
                self.done.set()


def describe(destination, line):
    if destination == '/user/queue/errors':
        details = line.get('details')
        return '! %s' % ('; '.join(details) if isinstance(details, list) else line.get('message'))
    if isinstance(line, list):  # the room's history
        return '\n'.join(describe('/topic/chat.', item) for item in line) or '(no history)'
    kind = line.get('type')
    if kind == 'private':
        return '[private] %s -> %s: %s' % (line.get('from'), line.get('to'), line.get('text'))
    if kind in ('join', 'leave'):
        return '* %s %s #%s' % (line.get('from'), 'joined' if kind == 'join' else 'left', line.get('room'))
    return '[%s] %s: %s' % (line.get('room'), line.get('from'), line.get('text'))


def post(conn, room, text):
    if text.startswith('@') and ' ' in text:
        to, text = text[1:].split(' ', 1)
        destination = '/app/private/%s' % to
    else:
        destination = '/app/chat/%s' % room
    conn.send(destination, json.dumps({'text': text}), content_type='application/json')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=61613, help='the port the chat printed (61613 unless taken)')
    parser.add_argument('--name', default='py', help='your name (the CONNECT login header)')
    parser.add_argument('--room', default='general')
    parser.add_argument('--say', action='append', default=[], help='post this once connected (repeatable)')
    parser.add_argument('--json', action='store_true', help='print received lines as JSON')
    parser.add_argument('--exit-after', type=int, default=0, help='exit after this many chat messages')
    parser.add_argument('--timeout', type=float, default=0, help='give up after this many seconds (exit code 2)')
    args = parser.parse_args()

    done = threading.Event()
    listener = ChatListener(args, done)
    conn = stomp.Connection([(args.host, args.port)], heartbeats=(0, 0))
    conn.set_listener('', listener)
    conn.connect(args.name, '', wait=True)
    conn.subscribe('/user/queue/errors', id='errors')
    conn.subscribe('/user/queue/private', id='private')
    conn.subscribe('/app/chat/%s/history' % args.room, id='history')
    conn.subscribe('/topic/chat.%s' % args.room, id='room', headers={'receipt': 'subscribed'})
    listener.ready.wait(10)
    if listener.failed:
        sys.exit(2)
    print('READY', flush=True)
    for text in args.say:
        post(conn, args.room, text)

    if args.exit_after:
        finished = done.wait(args.timeout or None)
    elif args.say:
        finished = True  # disconnect() below waits for its RECEIPT: every SEND above took effect
    else:
        for text in sys.stdin:  # interactive: one line, one message; Ctrl-D leaves
            if text.strip():
                post(conn, args.room, text.strip())
        finished = True
    if conn.is_connected():
        conn.disconnect()
    sys.exit(0 if finished and not listener.failed else 2)


if __name__ == '__main__':
    main()
