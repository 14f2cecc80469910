"""Shared pieces of the fault and stress tests (tests/fault-*.py) and of the
benchmarks (bench/*.py): a `facteur serve` process on ephemeral loopback
ports with its own data directory, its memory read from /proc, and a small
line-oriented client over a raw socket (so that tests can send what no
library client would: junk, NUL bytes, half lines)."""
import os
import signal
import socket
import subprocess
import tempfile
import time

TOP = os.environ.get("FACTEUR_TOP") or os.path.normpath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
FACTEUR = os.environ.get("FACTEUR") or os.path.join(TOP, "build", "facteur")


def proc_status(pid):
    """VmRSS and VmHWM of a process, in kB."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


class Server:
    """`facteur serve` on 127.0.0.1 with ports chosen by the kernel.

    data: the data directory (a new temporary one by default, seeded with the
    demo mail on first start); timeouts: {"smtp": s, "pop3": s, "imap": s}.
    The same object can be killed and started again on the same data."""

    def __init__(self, data=None, timeouts=None, extra=None, keep_ports=False):
        self.tmp = tempfile.TemporaryDirectory(prefix="facteur-fault-")
        self.data = data or os.path.join(self.tmp.name, "data")
        self.timeouts = timeouts or {}
        self.extra = list(extra or [])
        self.keep_ports = keep_ports
        self.ports = {}
        self.proc = None
        self.log_path = os.path.join(self.tmp.name, "serve.log")

    def start(self):
        port_file = os.path.join(self.tmp.name, "ports")
        if os.path.exists(port_file):
            os.unlink(port_file)
        args = [FACTEUR, "serve", "--data", self.data, "--port-file", port_file]
        for proto in ("smtp", "pop3", "imap"):
            port = self.ports.get(proto, 0) if self.keep_ports else 0
            args += [f"--{proto}-port", str(port)]
            if proto in self.timeouts:
                args += [f"--{proto}-timeout", str(self.timeouts[proto])]
        args += self.extra
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"facteur serve exited with {self.proc.returncode}: "
                                   + self.log())
            if os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read()
                if text.endswith("\n"):
                    self.ports = {k: int(v) for k, v in
                                  (line.split("=") for line in text.split())}
                    return self
            time.sleep(0.01)
        raise RuntimeError("facteur serve did not write its port file")

    def start_or_skip(self, tap, protos=("smtp", "pop3")):
        """Starts the server; when this build lacks one of protos, reports one
        skip on tap and exits (the protocols land one branch at a time)."""
        try:
            self.start()
        except RuntimeError as e:
            if "no server protocol" not in self.log():
                raise
            tap.skip("all", f"this build of facteur has no server protocol ({e})")
            self.close()
            tap.done()
        missing = [p for p in protos if not self.has(p)]
        if missing:
            tap.skip("all", f"this build of facteur has no {'/'.join(missing)} server")
            self.close()
            tap.done()
        return self

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def has(self, proto):
        return proto in self.ports

    @property
    def pid(self):
        return self.proc.pid

    def memory(self):
        return proc_status(self.proc.pid)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL: no goodbye, no flush."""
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()

    def stop(self):
        """SIGTERM, as Ctrl-C; returns the exit status."""
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def close(self):
        self.kill()
        self.tmp.cleanup()

    def __enter__(self):
        if not self.alive():
            self.start()
        return self

    def __exit__(self, *exc):
        self.close()


class Client:
    """A raw TCP client: send bytes, read CRLF lines with a timeout."""

    def __init__(self, port, timeout=5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.timeout = timeout

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def cmd(self, line):
        self.send(line + "\r\n")
        return self.line()

    def line(self, timeout=None):
        """The next line without its CRLF; None when the server closed."""
        self.sock.settimeout(timeout or self.timeout)
        nl = self.buf.find(b"\n")
        if nl < 0:
            # Bytes are gathered in a list and joined once: long replies stay linear.
            parts = [self.buf]
            while True:
                chunk = self.sock.recv(262144)
                if not chunk:
                    self.buf = b"".join(parts)
                    return None
                parts.append(chunk)
                if b"\n" in chunk:
                    break
            self.buf = b"".join(parts)
            nl = self.buf.find(b"\n")
        line, self.buf = self.buf[:nl], self.buf[nl + 1:]
        return line.rstrip(b"\r").decode("latin-1")

    def read_until(self, marker, timeout=None):
        """Bytes up to and including marker (b"\\r\\n.\\r\\n" ends a POP3 body);
        None when the server closed first."""
        self.sock.settimeout(timeout or self.timeout)
        parts, size = [self.buf], len(self.buf)
        data = self.buf
        end = data.find(marker)
        while end < 0:
            chunk = self.sock.recv(262144)
            if not chunk:
                self.buf = b"".join(parts)
                return None
            parts.append(chunk)
            size += len(chunk)
            # Only the joint of the last two pieces can hold a new match.
            tail = parts[-2][-len(marker):] + chunk
            if marker in tail:
                data = b"".join(parts)
                end = data.find(marker, max(0, size - len(tail) - len(marker)))
        end += len(marker)
        out, self.buf = data[:end], data[end:]
        return out

    def until(self, pred, timeout=None):
        """Lines up to and including the first for which pred is true."""
        lines = []
        while True:
            line = self.line(timeout)
            if line is None:
                return lines
            lines.append(line)
            if pred(line):
                return lines

    def read_exactly(self, n, timeout=None):
        self.sock.settimeout(timeout or self.timeout)
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def closed(self, timeout=None):
        """True when the server closes the connection (pending lines are skipped)."""
        self.sock.settimeout(timeout or self.timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def snapshot(path):
    """Every file and directory under path with its type, size and mtime:
    compared before and after to show nothing was written there."""
    out = {}
    for root, dirs, files in os.walk(path, followlinks=False):
        for name in dirs + files:
            p = os.path.join(root, name)
            st = os.lstat(p)
            out[os.path.relpath(p, path)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def maildir_files(data, user, folder=""):
    """Names of the message files of a mailbox (new/ and cur/), and of tmp/."""
    base = os.path.join(data, user, "Maildir", folder)
    msgs = []
    for sub in ("new", "cur"):
        d = os.path.join(base, sub)
        if os.path.isdir(d):
            msgs += [os.path.join(sub, n) for n in os.listdir(d)]
    tmp = os.path.join(base, "tmp")
    return sorted(msgs), sorted(os.listdir(tmp)) if os.path.isdir(tmp) else []


def read_uidlist(path):
    """(uidvalidity, uidnext, [(uid, base)]) of a facteur-uidlist file; a torn
    last line (no newline) is ignored, as the store does."""
    with open(path, "rb") as f:
        text = f.read().decode()
    lines = text.split("\n")
    head = lines[0].split()
    assert head[:2] == ["facteur-uidlist", "1"], head
    records = []
    for line in lines[1:-1]:
        uid, _, base = line.partition(" ")
        records.append((int(uid), base))
    return int(head[2]), int(head[3]), records
