#!/usr/bin/env python3
"""Where each remote dispatch's time goes, from the host's and the agent's socket syscalls (bench/runner-dispatch.sh TRACE=1).

Reads the executions (created_at, started_at) and `perf script` output of syscall tracepoints recorded on the host and
the agent with CLOCK_MONOTONIC, shifted to wall time by the offset measured beside them. Per execution, in order: the
host writes the assignment to the agent's socket (the sendto whose size the agent then reads), the agent reads it, the
agent writes its ack (a small sendto), the host reads the ack, the host stamps started_at.

    dispatch-hops.py REMOTE_NDJSON PERF_SCRIPT_TXT OFFSET_FILE HOST_PID AGENT_PID
"""
import datetime
import json
import re
import statistics
import sys

remote, trace, offset_file, host, agent = sys.argv[1:6]
offset = float(open(offset_file).read())
line_re = re.compile(r'\s*(.*?)\s+(\d+)/(\d+)\s+([\d.]+):\s+syscalls:(\S+):\s*(.*)')
events = []
for line in open(trace):
    m = line_re.match(line)
    if m and m.group(2) in (host, agent):
        events.append((float(m.group(4)) + offset, m.group(2), m.group(5), m.group(6)))


def size(event):
    if event[2].startswith('sys_exit'):
        value = int(event[3], 16)
        return -1 if value >= 1 << 63 else value
    m = re.search(r'len: (0x[0-9a-f]+)', event[3])
    return int(m.group(1), 16) if m else 0


def at(text):
    return datetime.datetime.fromisoformat(text).timestamp()


hops = {name: [] for name in ('created → host writes the assignment', 'the socket, host → agent', 'agent: read → ack written',
                              'the socket, agent → host', 'host: ack read → started_at', 'created → running')}
for row in (json.loads(l) for l in open(remote) if l.strip()):
    created, started = at(row['created_at']), at(row['started_at'])
    window = [e for e in events if created <= e[0] <= started + 0.005]
    try:
        got = next(e for e in window if e[1] == agent and e[2] == 'sys_exit_recvfrom' and size(e) > 300)
        pushed = [e for e in window if e[1] == host and e[2] == 'sys_enter_sendto' and size(e) == size(got) and e[0] <= got[0]][-1]
        ack = next(e for e in window if e[1] == agent and e[2] == 'sys_enter_sendto' and 40 < size(e) < 60 and e[0] >= got[0])
        acked = next(e for e in window if e[1] == host and e[2] == 'sys_exit_recvfrom' and size(e) > 40 and e[0] >= ack[0])
    except (StopIteration, IndexError):
        continue
    for name, value in zip(hops, (pushed[0] - created, got[0] - pushed[0], ack[0] - got[0], acked[0] - ack[0], started - acked[0], started - created)):
        hops[name].append(value * 1000)

print('| hop | n | p50 ms | min | max |')
print('|---|---|---|---|---|')
for name, values in hops.items():
    if values:
        values.sort()
        print(f'| {name} | {len(values)} | {statistics.median(values):.2f} | {values[0]:.2f} | {values[-1]:.2f} |')
