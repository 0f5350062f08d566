#!/usr/bin/python3
"""Record what a real Ceph 16.2 monitor answers to a list of commands.

usage: record.py CEPH_CONF CASES.json OUT.json [CRUSHMAP.bin]

CASES.json is a list of {"name": ..., "cmd": {...}} (the JSON the `ceph`
CLI sends); OUT.json gets each case with the monitor's rc, status line
(outs) and output (out), in order.  Run it against a fresh cluster from
../shared/anchors/ceph/start.sh (with Debian's python3-rados and Ceph's
librados): tests/unit/test_mon_commands.c replays the recording through
Loligo's handlers from the same starting state; CRUSHMAP.bin, when
given, gets the cluster's CRUSH map as it was before the first command
(`osd getcrushmap`), so the replay can start from exactly that map.
"""
import json
import sys

import rados


def main():
    conf, cases_path, out_path = sys.argv[1:4]
    crush_path = sys.argv[4] if len(sys.argv) > 4 else None
    with open(cases_path) as f:
        cases = json.load(f)
    cluster = rados.Rados(conffile=conf)
    cluster.connect()
    if crush_path:
        rc, crush, outs = cluster.mon_command(
            json.dumps({"prefix": "osd getcrushmap"}), b"")
        if rc != 0:
            sys.exit("osd getcrushmap: %d %s" % (rc, outs))
        with open(crush_path, "wb") as f:
            f.write(crush)
    replies = []
    for case in cases:
        rc, out, outs = cluster.mon_command(json.dumps(case["cmd"]), b"")
        replies.append({"name": case["name"], "cmd": case["cmd"], "rc": rc,
                        "outs": outs, "out": out.decode("utf-8", "replace")})
    cluster.shutdown()
    with open(out_path, "w") as f:
        json.dump(replies, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
