#!/usr/bin/env python3
"""The large crash test of issue 4: a writer appends --lines numbered failure lines (a distinct
target each) while `negoheal run` is killed with SIGKILL --kills times at random moments and
restarted, and the log is rotated by rename --rotations times (also while the agent is down).
Afterwards every line must be in the store exactly once. CI runs a bounded version of the same
test (tests/integration/run_test.cpp, SigkillAtRandomMomentsLosesAndDoublesNothing).

  bench/crash_test.py [--lines 1000000] [--kills 20] [--rotations 50] [--work /tmp/negoheal-crash]
"""
import argparse, json, os, random, shutil, signal, sqlite3, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build/release/agent/negoheal")


def line(seq):
    return (f"2026-11-25T10:00:00.000Z ERROR Session {seq} to c{seq}.corp.example:3389 failed: "
            f"ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C] seq={seq}\n").encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--rotations", type=int, default=50)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--work", default="/tmp/negoheal-crash")
    a = ap.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit(f"crash test: build first ({BIN})")
    rng = random.Random(a.seed)
    shutil.rmtree(a.work, ignore_errors=True)
    logs = os.path.join(a.work, "logs")
    os.makedirs(logs)
    live = os.path.join(logs, "PAM-Proxy.log")
    db = os.path.join(a.work, "agent.db")
    cfg = os.path.join(a.work, "negoheal.json")
    with open(cfg, "w") as f:
        json.dump({"sources": [{"type": "file", "paths": [os.path.join(logs, "PAM-Proxy*.log")],
                                "poll_interval": "200ms", "rotate_wait": "1s"}],
                   "store": {"path": db}, "probe": {"enabled": False}, "http": {"listen": ""},
                   "log": {"level": "warn"}}, f)
    agent_log = open(os.path.join(a.work, "agent.log"), "ab")
    start = lambda: subprocess.Popen([BIN, "run", "-c", cfg], stderr=agent_log)

    def stored_host(seq):
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            n = con.execute("SELECT COUNT(*) FROM events WHERE host=?", (f"c{seq}.corp.example",)).fetchone()[0]
            con.close()
            return n > 0
        except sqlite3.Error:
            return False

    kill_at = sorted(rng.sample(range(1, a.lines), a.kills))
    rotate_at = sorted(rng.sample(range(1, a.lines), a.rotations))
    agent = start()
    first_of_file, rotations, kills, deferred = 0, 0, 0, 0
    fd = os.open(live, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    t0 = time.monotonic()
    batch = []
    for seq in range(a.lines):
        if kill_at and seq == kill_at[0]:
            kill_at.pop(0)
            os.write(fd, b"".join(batch)); batch = []
            agent.send_signal(signal.SIGKILL); agent.wait(); kills += 1
            # Down for a moment: some lines (and maybe a rotation) land while it is.
            agent = None
        if agent is None and (not kill_at or seq > kill_at[0] - 5000 or rng.random() < 0.001):
            agent = start()
        if rotate_at and seq >= rotate_at[0]:
            os.write(fd, b"".join(batch)); batch = []
            # The agent must have seen a file (a checkpoint) to find it again after a rename.
            if stored_host(first_of_file):
                rotate_at.pop(0)
                os.close(fd)
                rotations += 1
                os.rename(live, f"{live}.{rotations}")
                fd = os.open(live, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                first_of_file = seq
            else:
                deferred += 1
        batch.append(line(seq))
        if len(batch) >= 64:
            os.write(fd, b"".join(batch)); batch = []
    os.write(fd, b"".join(batch))
    if agent is None:
        agent = start()
    written = time.monotonic() - t0
    con = sqlite3.connect(db, timeout=30)
    deadline = time.monotonic() + 3600
    while con.execute("SELECT COUNT(*) FROM events").fetchone()[0] < a.lines and time.monotonic() < deadline:
        time.sleep(0.2)
    total, distinct = con.execute("SELECT COUNT(*), COUNT(DISTINCT host) FROM events").fetchone()
    agent.send_signal(signal.SIGTERM)
    rc = agent.wait(timeout=60)
    ok = total == a.lines and distinct == a.lines
    print(f"crash test: {a.lines} lines, {kills} SIGKILLs, {rotations} rotations ({deferred} deferred until the "
          f"agent had seen the file); written in {written:.1f} s, all stored after {time.monotonic() - t0:.1f} s; "
          f"stored {total} events, {distinct} distinct lines: {'EXACTLY ONCE' if ok else 'MISMATCH'}; "
          f"final stop exit {rc}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
