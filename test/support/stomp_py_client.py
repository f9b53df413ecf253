"""A stomp.py (Debian python3-stomp) client for the interop tests, run with /usr/bin/python3.

  receive HOST PORT DESTINATION   subscribe, print READY once subscribed, then print the first
                                  MESSAGE as one JSON line {"body", "headers"} and disconnect
  send HOST PORT DESTINATION BODY send BODY (header x-from:stomp.py) with a receipt, print SENT

Exit code 0 on success, 2 on a timeout or an ERROR frame (details on stderr).
"""
import json
import sys
import threading

import stomp

TIMEOUT = 10


class Listener(stomp.ConnectionListener):
    def __init__(self):
        self.receipts = {}
        self.message = None
        self.got_message = threading.Event()
        self.error = None

    def on_receipt(self, frame):
        event = self.receipts.get(frame.headers.get('receipt-id'))
        if event is not None:
            event.set()

    def on_message(self, frame):
        if self.message is None:
            self.message = frame
            self.got_message.set()

    def on_error(self, frame):
        self.error = frame
        self.got_message.set()
        for event in self.receipts.values():
            event.set()

    def expect_receipt(self, receipt_id):
        self.receipts[receipt_id] = threading.Event()
        return self.receipts[receipt_id]


def fail(why, listener):
    detail = ''
    if listener.error is not None:
        detail = ' (ERROR %s)' % listener.error.headers.get('message')
    sys.stderr.write('stomp.py: %s%s\n' % (why, detail))
    sys.exit(2)


def main(argv):
    mode, host, port, destination = argv[1], argv[2], int(argv[3]), argv[4]
    listener = Listener()
    conn = stomp.Connection([(host, port)], heartbeats=(0, 0))
    conn.set_listener('interop', listener)
    conn.connect(wait=True)
    if mode == 'receive':
        subscribed = listener.expect_receipt('subscribed')
        conn.subscribe(destination=destination, id='py-1', ack='auto', headers={'receipt': 'subscribed'})
        if not subscribed.wait(TIMEOUT) or listener.error is not None:
            fail('no RECEIPT for SUBSCRIBE', listener)
        print('READY', flush=True)
        if not listener.got_message.wait(TIMEOUT) or listener.message is None:
            fail('no MESSAGE', listener)
        frame = listener.message
        body = frame.body.decode('utf-8') if isinstance(frame.body, bytes) else frame.body
        print(json.dumps({'body': body, 'headers': dict(frame.headers)}), flush=True)
    elif mode == 'send':
        sent = listener.expect_receipt('sent')
        conn.send(destination=destination, body=argv[5], content_type='text/plain',
                  headers={'x-from': 'stomp.py', 'receipt': 'sent'})
        if not sent.wait(TIMEOUT) or listener.error is not None:
            fail('no RECEIPT for SEND', listener)
        print('SENT', flush=True)
    else:
        fail('unknown mode %s' % mode, listener)
    conn.disconnect()


if __name__ == '__main__':
    main(sys.argv)
