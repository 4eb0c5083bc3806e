"""A T5 model in a process of its own, beside the one that serves it.

    model = ModelProcess("var/models/t5", backend="transformers")
    model.generate(["grammar: This are good."], max_new_tokens=32)

The caller tokenises; the process runs the network and decodes, one batch at a time.
transformers' `generate` needs the GIL between tensor operations, so inside a Serve
replica it competes with the replica's event loop, which runs Serve's work for every
request; in its own process it has an interpreter to itself. CTranslate2 releases the
GIL while it computes and gains nothing from this. A process that dies is started
again at the next call; one whose parent dies exits within a second. `give_way` reaches
the process as a message, which a thread of it reads while a call runs.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from pipelines.t5_model import Backend, ComputeType, Device, GaveWay, T5Model, ctranslate2_path, load

ROOT = Path(__file__).resolve().parents[1]


class ModelProcess(T5Model):
    def __init__(self, path: str, backend: Backend = "transformers", device: Device = "auto",
                 compute_type: ComputeType = "auto", threads: int = 0):
        self.backend = backend
        self._spec = {"path": path, "backend": backend, "device": device, "compute_type": compute_type, "threads": threads}
        self._lock = threading.Lock()  # one call at a time
        self._sending = threading.Lock()  # a call's message and a `give_way` never interleave
        self._proc: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self._closed = False  # by `close`: no restart after it
        self._start()  # the process loads the model while this one loads the tokenizer
        try:
            super().__init__(path, path if backend == "transformers" else ctranslate2_path(path))
            ready = self._receive()
        except BaseException:
            self.close()
            raise
        self.device, self.compute_type = ready["device"], ready["compute_type"]

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def generate_ids(self, batch: list[list[int]], max_new_tokens: int, min_new_tokens: int = 0,
                     call_id: int | None = None) -> list[str]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the T5 model process was stopped (the model was reloaded or the replica is stopping)")
            if self._proc is None or self._proc.poll() is not None:
                self._start()
                self._receive()
            self._send(("generate", batch, max_new_tokens, min_new_tokens, call_id))
            reply = self._receive()
        if reply.get("gave_way"):
            raise GaveWay()
        return reply["texts"]

    def give_way(self, call_id: int) -> None:
        self._send(("give way", call_id))

    def _send(self, message: tuple) -> None:
        with self._sending:
            try:
                if self._conn is not None:
                    self._conn.send(message)
            except OSError:
                pass  # the process has gone: receiving says how

    def close(self) -> None:
        """Stop the process once the batch in flight, if any, is answered (or kill it after 30 s)."""
        self._closed = True
        if self._lock.acquire(timeout=30):
            try:
                self._stop()
            finally:
                self._lock.release()
        elif (proc := self._proc) is not None:
            proc.kill()  # the call in flight fails with the process's exit code

    def _stop(self) -> None:
        proc, conn, self._proc, self._conn = self._proc, self._conn, None, None
        if conn is not None:
            conn.close()  # the process reads end-of-file and exits
        if proc is not None:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def _start(self) -> None:
        self._stop()
        ours, theirs = socket.socketpair()
        env = os.environ | {"PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
        self._proc = subprocess.Popen([sys.executable, "-m", "pipelines.t5_process", str(theirs.fileno()), str(os.getpid())],
                                      pass_fds=[theirs.fileno()], env=env, cwd=ROOT)
        theirs.close()
        with self._sending:  # the spec is the new process's first message, before any `give_way`
            self._conn = Connection(ours.detach())
            self._conn.send(self._spec)

    def _receive(self) -> dict:
        proc, conn = self._proc, self._conn
        try:
            reply = conn.recv()
        except (EOFError, OSError):
            code = proc.wait()
            raise RuntimeError(f"the T5 model process exited (code {code})") from None
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply


def _serve(fd: int, parent: int) -> None:
    """The process's side: load the model the first message names, then answer batches until end-of-file."""
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    conn = Connection(fd)
    try:
        model = load(**conn.recv())
    except Exception as exc:  # the caller raises it
        conn.send({"error": f"{type(exc).__name__}: {exc}"})
        return
    conn.send({"device": model.device, "compute_type": model.compute_type})
    calls: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_read, args=(conn, model, calls), daemon=True).start()
    while (call := calls.get()) is not None:
        try:
            conn.send({"texts": model.generate_ids(*call)})
        except GaveWay:
            conn.send({"gave_way": True})
        except Exception as exc:
            conn.send({"error": f"{type(exc).__name__}: {exc}"})


def _read(conn: Connection, model: T5Model, calls: queue.SimpleQueue) -> None:
    """Calls go to the queue the main thread answers from; a `give_way` reaches the model at once."""
    while True:
        try:
            kind, *args = conn.recv()
        except (EOFError, OSError):
            calls.put(None)
            return
        if kind == "generate":
            calls.put(args)
        else:
            model.give_way(*args)


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]))
