"""Group-robot receivers on loopback: one that takes every message, one that refuses."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import LeadFactory


class Receiver:
    """An HTTP server on 127.0.0.1 (a free port) answering each POST with `status` and
    `answer`, and keeping the JSON bodies it got."""

    def __init__(self, status=200, answer=b'{"errcode":0,"errmsg":"ok"}'):
        self.got = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.got.append(json.loads(self.rfile.read(length)))
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(receiver.answer)

            def log_message(self, *args):
                pass

        self.status, self.answer = status, answer
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = (
            f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=SECRETKEY12345"
        )

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def broken_robot():
    receiver = Receiver(status=500, answer=b"server error")
    yield receiver
    receiver.close()


@pytest.fixture
def refusing_robot():
    receiver = Receiver(answer=b'{"errcode":93000,"errmsg":"invalid webhook url"}')
    yield receiver
    receiver.close()


@pytest.fixture
def lead(sz3):
    return LeadFactory(username="lead", email="lead@example.org", batches=[sz3])


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client
