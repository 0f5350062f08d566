#!/usr/bin/python3
"""The reference side of bench/mon_rtt.c: N map-changing monitor commands
through Ceph's librados (python3-rados), one at a time, over one open
connection; prints p50/p99/mean in ms.

usage: ceph_mon_rtt.py CONF N [osdmap|config-key]
"""
import json
import sys
import time

import rados

conf, n = sys.argv[1], int(sys.argv[2])
cluster = rados.Rados(conffile=conf)
cluster.connect()
kind = sys.argv[3] if len(sys.argv) > 3 else "osdmap"
if kind == "osdmap":
    cmds = [json.dumps({"prefix": "osd set", "key": "noout"}),
            json.dumps({"prefix": "osd unset", "key": "noout"})]
else:
    cmds = [json.dumps({"prefix": "config-key set", "key": "bench", "val": "a"}),
            json.dumps({"prefix": "config-key set", "key": "bench", "val": "b"})]
lat = []
fails = 0
t_start = time.monotonic()
for i in range(n):
    t0 = time.monotonic()
    ret, _, _ = cluster.mon_command(cmds[i & 1], b"")
    lat.append((time.monotonic() - t0) * 1000)
    if ret < 0:
        fails += 1
total = (time.monotonic() - t_start) * 1000
lat.sort()
print("ceph " + kind + " n=%d p50=%.2fms p99=%.2fms mean=%.2fms failed=%d"
      % (n, lat[n // 2], lat[(n * 99) // 100], total / n, fails))
cluster.shutdown()
