"""Where chunks run: in this process, in a local loky process pool, or on a Dask cluster.

Each backend yields :class:`experiments.runner.ChunkResult` objects as chunks finish, in any order
(or, given another ``task``, whatever it returns: an object with a ``chunk_id``).
Local workers die with their parent: each starts a watchdog thread that ends the worker within a
quarter of a second once the process that started it is gone (killed with SIGKILL included, when
no ``atexit`` or signal handler runs), and loky's resource tracker then sees its pipe close and
exits too. A scheduler that cannot be reached fails within :data:`CONNECT_SECONDS` with one line.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import TYPE_CHECKING

from sim.errors import InputError

if TYPE_CHECKING:
    from experiments.runner import Chunk, ChunkResult

#: Seconds to wait for a Dask scheduler before giving up (the issue's promise: fail within 10 s).
CONNECT_SECONDS = 5
#: How often a worker checks that its parent is alive.
WATCHDOG_SECONDS = 0.25


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)  # the parent is gone (reparented to init or a subreaper): nobody wants our result


def start_watchdog(parent: int) -> None:
    """Worker initializer: exit as soon as ``parent`` (the pid that started the pool) is gone.

    The pid comes from the parent itself, not from ``os.getppid()`` here: a worker still starting
    up when its parent is killed would otherwise take its new parent (init) for the one to watch.
    """
    threading.Thread(target=_watch_parent, args=(parent,), name="renosim-watchdog", daemon=True).start()


def _serial(chunks: Iterable[Chunk], run_chunk: Callable, workers: int) -> Iterator[ChunkResult]:
    """In this process; ``workers`` caps the threads of its element-wise draws (``--workers 1``: one core)."""
    from sim import parallel

    for chunk in chunks:
        with parallel.limited(workers):
            result = run_chunk(chunk)
        yield result


def _executor(workers: int):
    """The reusable loky process pool of ``workers`` processes (started on first use)."""
    from loky import get_reusable_executor

    # loky, not fork: by now pyarrow's I/O threads exist in this process, and forking a
    # multi-threaded process can deadlock the child. The pool is reused by later calls in the
    # same process (tests, notebooks), so its ~1 s start-up is paid once.
    # One process per core is the parallelism; threaded BLAS inside each would oversubscribe.
    single = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return get_reusable_executor(
        max_workers=workers, timeout=300, env=single, initializer=start_watchdog, initargs=(os.getpid(),)
    )


def prewarm(workers: int, warm: Callable[[], object], scheduler: str | None = None) -> list[Future]:
    """Start the local pool now and have its workers run ``warm`` (their imports) in the background.

    A worker's start-up (a Python process importing pandas, numba and the model: about 2 s) is
    otherwise paid after the parent has planned the work; started first, it overlaps the parent's
    own imports and planning. Nothing is started for one worker or a Dask scheduler. Returns the
    warm-ups' futures, which nobody needs to wait for: a later :func:`execute` with as many workers
    reuses the same pool.
    """
    if scheduler or workers <= 1:
        return []
    pool = _executor(workers)
    return [pool.submit(warm) for _ in range(workers)]


def _pool(chunks: list[Chunk], workers: int, run_chunk: Callable) -> Iterator[ChunkResult]:
    """Stream results from a reusable loky process pool (started now, before any bar thread)."""
    pool = _executor(workers)
    # A bounded number of chunks in flight: results stream back in roughly plan order and a
    # killed sweep loses only what is in flight.
    todo = iter(chunks)
    running = {pool.submit(run_chunk, c) for c in itertools.islice(todo, 2 * workers)}

    def stream() -> Iterator[ChunkResult]:
        nonlocal running
        try:
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: f.result().chunk_id):
                    nxt = next(todo, None)
                    if nxt is not None:
                        running.add(pool.submit(run_chunk, nxt))
                    yield fut.result()
        except BaseException:
            # Interrupted (SIGINT, SIGTERM) or failed: stop the workers now, and with them their
            # semaphores, rather than wait for chunks nobody will store (loky would warn of leaks).
            pool.shutdown(wait=True, kill_workers=True)
            raise
        finally:
            for fut in running:
                fut.cancel()

    return stream()


def check_scheduler(address: str | None) -> None:
    """Refuse a scheduler address that is not ``tcp://host:port`` (or tls/ucx/inproc)."""
    if address is None:
        return
    scheme, sep, rest = address.partition("://")
    if not sep or scheme not in ("tcp", "tls", "ucx", "inproc") or not rest:
        raise InputError(f"--scheduler: expected tcp://HOST:PORT, got {address!r}")


def _unreachable(address: str, why: str) -> InputError:
    return InputError(f"cannot reach Dask scheduler at {address} within {CONNECT_SECONDS} s ({why}); is it running?")


def identify_scheduler(address: str) -> dict:
    """Ask ``address`` who it is, the whole exchange bounded by :data:`CONNECT_SECONDS`.

    Dask's own handshake waits for the peer's first message without a deadline, so something
    that accepts the connection and stays silent (a web server) would hang a Client for ever,
    and one that talks another protocol can make it read a garbage frame length. Here any answer
    that is not a scheduler's identity, and any silence, is one line.
    """
    import asyncio

    from distributed.comm import connect as dask_connect
    from distributed.comm.addressing import parse_address, parse_host_port

    reached = False

    async def ask() -> dict:
        nonlocal reached
        host, port = parse_host_port(parse_address(address)[1])
        _, writer = await asyncio.open_connection(host, port)  # refused or unroutable: fails here
        writer.close()
        reached = True
        comm = await dask_connect(address, timeout=CONNECT_SECONDS)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    try:
        info = asyncio.run(asyncio.wait_for(ask(), CONNECT_SECONDS))
    except (TimeoutError, OSError) as exc:
        if reached:
            raise _not_a_scheduler(address, f"no Dask answer within {CONNECT_SECONDS} s") from None
        raise _unreachable(address, " ".join(str(exc).split())[:200] or type(exc).__name__) from None
    except Exception as exc:  # noqa: BLE001 - whatever the peer sent, it is not a scheduler speaking
        raise _not_a_scheduler(address, f"{type(exc).__name__} reading its answer") from None
    if not isinstance(info, dict) or info.get("type") != "Scheduler":
        raise _not_a_scheduler(address, "it does not say it is one")
    return info


def _not_a_scheduler(address: str, why: str) -> InputError:
    return InputError(f"{address} answers, but is not a Dask scheduler ({why}); check the address and port")


def connect(address: str):
    """A Dask client of the scheduler at ``address``; a one-line error if it is not one or cannot be reached."""
    import dask
    from dask.distributed import Client

    check_scheduler(address)
    if address.startswith("tcp://"):
        identify_scheduler(address)  # bounded: a Client would wait for a silent peer without limit
    timeout = f"{CONNECT_SECONDS}s"
    try:
        with dask.config.set({"distributed.comm.timeouts.connect": timeout}):
            return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise _unreachable(address, " ".join(str(exc).split())[:200] or type(exc).__name__) from None


def probe_scheduler(address: str | None) -> None:
    """Fail before anything is written if a scheduler is given but unreachable or not a scheduler."""
    if address is not None:
        connect(address).close()


def _dask(chunks: list[Chunk], address: str, run_chunk: Callable) -> Iterator[ChunkResult]:
    from dask.distributed import as_completed

    client = connect(address)
    try:
        futures = [client.submit(run_chunk, c, pure=False) for c in chunks]
        try:
            for fut in as_completed(futures, loop=client.loop):
                res = fut.result()
                fut.release()  # free the result in the cluster's memory now, not at the end
                yield res
        finally:
            client.cancel(futures)
    finally:
        client.close()


def execute(
    chunks: list[Chunk], *, workers: int = 1, scheduler: str | None = None, task: Callable | None = None
) -> Iterator[ChunkResult]:
    """Run chunks on the chosen backend, yielding results as they finish (in any order).

    ``task`` runs one chunk in a worker (a top-level function, so it pickles); by default a
    sweep's :func:`experiments.runner.run_chunk`.
    """
    check_scheduler(scheduler)
    if task is None:
        from experiments.runner import run_chunk as task
    if not chunks:
        return iter(())
    if scheduler:
        return _dask(chunks, scheduler, task)
    if workers <= 1 or len(chunks) == 1:
        return _serial(chunks, task, max(workers, 1))
    return _pool(chunks, min(workers, len(chunks)), task)
