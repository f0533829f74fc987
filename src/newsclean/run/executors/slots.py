"""Output slots in memory shared with forked worker processes.

With ``--jobs N`` the workers clean chunks of about a megabyte and the main
process writes their outputs in input order.  Sending each output back
through the process pool's result pipe costs a pickle, a chain of 64 KiB
pipe writes and reads, and an unpickle: about 1.7 ms of CPU per megabyte on
*each* side, measured with two processes on the benchmark machine.  On two
cores, where both workers are busy, that was most of the gap between
``--jobs 2`` and a perfect 2x.

So the main process maps one anonymous shared region before the workers are
forked, split into as many slots as there can be chunks in flight.  Each
chunk is given a free slot; the worker copies its output there and returns
only the length, and the main process writes straight from the slot, then
frees it.  Outputs that do not fit their slot (a huge single record) still
travel through the pipe.

Anonymous shared memory reaches a child only by ``fork``: with any other
start method (``spawn`` on macOS and Windows, ``forkserver``) no slots are
made and every output travels through the pipe, as before.  Nothing is
left behind when a run is killed: the region has no name and no file.
"""

from __future__ import annotations

import contextlib
import mmap

__all__ = ["MAX_SLOT_SIZE", "SharedSlots"]

#: the largest slot: bigger outputs use the pipe (memory, not speed, is the limit here)
MAX_SLOT_SIZE = 8 * 1024 * 1024


class SharedSlots:
    """``count`` slots of ``size`` bytes in one anonymous ``MAP_SHARED`` mapping.

    The main process hands a slot number to a task with :meth:`take` and gives it
    back with :meth:`give`; a worker stores its output with :meth:`store`, the
    main process reads it with :meth:`view`.  A slot is used by one task at a time,
    so no locking is needed.
    """

    def __init__(self, count: int, size: int) -> None:
        if count < 1 or size < 1:
            raise ValueError(f"need at least one slot of at least one byte, got {count} x {size}")
        self.count = count
        self.size = size
        self._map: mmap.mmap | None = mmap.mmap(-1, count * size)
        self._free = list(range(count - 1, -1, -1))

    @classmethod
    def for_chunks(cls, count: int, chunk_size: int) -> SharedSlots:
        """Slots for chunks of ``chunk_size`` input bytes: room for twice that (an output may
        grow a little: escapes, re-serialised JSON), at most :data:`MAX_SLOT_SIZE`."""
        return cls(count, min(2 * chunk_size + 65536, MAX_SLOT_SIZE))

    # main process
    def take(self) -> int:
        """A free slot's number, or -1 if all are in use (the task then uses the pipe)."""
        return self._free.pop() if self._free else -1

    def give(self, slot: int) -> None:
        """Return ``slot`` (from :meth:`take`; -1 is ignored) once its output is written."""
        if slot >= 0:
            self._free.append(slot)

    def view(self, slot: int, length: int) -> memoryview:
        """The ``length`` bytes a worker stored in ``slot``; release the view before :meth:`close`."""
        assert self._map is not None, "slots closed"
        start = slot * self.size
        return memoryview(self._map)[start : start + length]

    def close(self) -> None:
        if self._map is not None:
            with contextlib.suppress(BufferError):  # a view still exported: the mapping goes with the process
                self._map.close()
            self._map = None

    # worker process
    def store(self, slot: int, data: bytes) -> bool:
        """Copy ``data`` into ``slot`` if it fits; False if not (send it through the pipe then)."""
        if slot < 0 or self._map is None or len(data) > self.size:
            return False
        start = slot * self.size
        self._map[start : start + len(data)] = data
        return True
