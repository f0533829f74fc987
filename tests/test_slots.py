"""Shared output slots between the main process and forked workers (newsclean.run.executors.slots)."""

from __future__ import annotations

import multiprocessing

import pytest

from newsclean.run.executors.slots import MAX_SLOT_SIZE, SharedSlots


def test_take_store_view_give():
    slots = SharedSlots(2, 8)
    a, b = slots.take(), slots.take()
    assert {a, b} == {0, 1}
    assert slots.take() == -1  # all in use: the task uses the pipe
    assert slots.store(a, b"12345678")
    assert not slots.store(b, b"123456789")  # does not fit
    assert not slots.store(-1, b"x")
    with slots.view(a, 8) as view:
        assert bytes(view) == b"12345678"
    slots.give(a)
    slots.give(-1)  # ignored
    assert slots.take() == a
    slots.close()
    slots.close()  # twice is fine
    assert not slots.store(a, b"x")


def test_slot_size_follows_the_chunk_size_up_to_a_limit():
    assert SharedSlots.for_chunks(3, 1000).size == 2 * 1000 + 65536
    assert SharedSlots.for_chunks(3, 1 << 30).size == MAX_SLOT_SIZE
    with pytest.raises(ValueError, match="at least one slot"):
        SharedSlots(0, 10)


def test_close_with_a_view_still_exported_does_not_raise():
    slots = SharedSlots(1, 4)
    slots.store(0, b"abcd")
    view = slots.view(0, 4)
    slots.close()  # the mapping stays until the view goes
    assert bytes(view) == b"abcd"
    view.release()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_forked_child_writes_what_the_parent_reads():
    slots = SharedSlots(2, 16)
    context = multiprocessing.get_context("fork")
    child = context.Process(target=slots.store, args=(1, b"from the child"))
    child.start()
    child.join()
    assert child.exitcode == 0
    with slots.view(1, 14) as view:
        assert bytes(view) == b"from the child"
    slots.close()
