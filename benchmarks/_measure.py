"""Run one command and write its wall time, CPU time and peak memory as JSON to argv[1].

A small wrapper process, so that the measured command is forked from a small interpreter:
a child forked straight from the benchmark runner would report the runner's memory as its
own peak (Linux counts the pages it shares before exec)."""

import json
import resource
import subprocess
import sys
import time

started = time.perf_counter()
code = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump(
        {
            "wall_s": wall,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024,
        },
        out,
    )
sys.exit(code)
