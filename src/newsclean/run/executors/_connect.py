"""A quick look at a cluster address before an engine spends minutes retrying it."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from . import ExecutorError

__all__ = ["CONNECT_TIMEOUT", "check_reachable"]

#: seconds to wait for a scheduler or head node to accept a connection
CONNECT_TIMEOUT = 10.0


def check_reachable(address: str, what: str, default_port: int, timeout: float = CONNECT_TIMEOUT) -> None:
    """Raise :class:`ExecutorError` (one line) unless something accepts TCP connections at ``address``.

    ``address`` is ``host:port`` or ``scheme://host:port``; engines' own connection attempts retry
    for a long time (Ray's for minutes), so an unreachable address is found out here first.
    """
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port or default_port
    except ValueError as exc:
        raise ExecutorError(f"invalid {what} address {address!r}: {exc}") from None
    if not host:
        raise ExecutorError(f"invalid {what} address {address!r}: give host:port")
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise ExecutorError(f"cannot reach the {what} at {address}: {reason}") from None
