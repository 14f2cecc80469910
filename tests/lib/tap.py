"""Minimal TAP producer for facteur's Python tests (tests/*.py).

    from tap import Tap
    t = Tap()
    t.ok(cond, "what is checked")
    t.eq(got, want, "what is checked")
    t.done()            # prints the plan, exits 1 if anything failed

tests/run.sh counts the "ok"/"not ok" lines.
"""
import sys
import traceback


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name):
        self.n += 1
        if cond:
            print(f"ok {self.n} - {name}", flush=True)
        else:
            self.failed += 1
            print(f"not ok {self.n} - {name}", flush=True)
        return bool(cond)

    def eq(self, got, want, name):
        good = got == want
        if not good:
            print(f"# {name}: got {got!r}, want {want!r}", flush=True)
        return self.ok(good, name)

    def skip(self, name, why):
        self.n += 1
        print(f"ok {self.n} - {name} # SKIP {why}", flush=True)

    def run(self, name, fn, *args):
        """Runs fn(*args); an exception is a failure with its traceback shown."""
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 - report every failure as TAP
            for line in traceback.format_exc().splitlines():
                print(f"# {line}", flush=True)
            self.ok(False, f"{name} (exception)")

    def done(self):
        print(f"1..{self.n}", flush=True)
        sys.exit(1 if self.failed else 0)
