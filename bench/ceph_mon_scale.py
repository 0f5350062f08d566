#!/usr/bin/python3
"""Reference side of the monitor scale benchmark: make N OSD ids and P
pools in a running Ceph cluster through python3-rados (T threads, since
Ceph's monitor commits osdmap changes about once a second and batches
what is pending), then print the encoded osdmap size.

usage: ceph_mon_scale.py CONF N P [T]
"""
import json
import sys
import threading
import time

import rados

conf, n, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = int(sys.argv[4]) if len(sys.argv) > 4 else 64
cluster = rados.Rados(conffile=conf)
cluster.connect()


def run(cmds):
    for c in cmds:
        ret, _, outs = cluster.mon_command(json.dumps(c), b"")
        if ret < 0:
            print("failed:", c, ret, outs, file=sys.stderr)


def parallel(cmds):
    threads = [threading.Thread(target=run, args=(cmds[i::t],)) for i in range(t)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


t0 = time.monotonic()
parallel([{"prefix": "osd create"} for _ in range(n)])
t1 = time.monotonic()
parallel([{"prefix": "osd pool create", "pool": "pool%d" % i, "pg_num": 8}
          for i in range(p)])
t2 = time.monotonic()
ret, out, _ = cluster.mon_command(json.dumps({"prefix": "osd getmap"}), b"")
print("ceph: %d osd creates in %.1f s, %d pool creates in %.1f s, osdmap %d bytes"
      % (n, t1 - t0, p, t2 - t1, len(out)))
cluster.shutdown()
