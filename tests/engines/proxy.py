"""A loopback TCP proxy that drops the first connections it accepts (reads the client's first
bytes and closes without an answer: the client reads 0 bytes, as from a Thrift server that
dropped a handshake) and forwards the others to a real server."""

from __future__ import annotations

import contextlib
import socket
import threading


class DroppingProxy:
    def __init__(self, target_port: int, drop_first: int) -> None:
        self.target_port = target_port
        self.to_drop = drop_first
        self.dropped = 0
        self.forwarded = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            if self.dropped < self.to_drop:
                self.dropped += 1
                client.recv(65536)
                client.close()
                continue
            self.forwarded += 1
            server = socket.create_connection(("127.0.0.1", self.target_port))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def close(self) -> None:
        self._listener.close()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
