#!/usr/bin/env python3
"""Turns `perf script` output into a flame graph (SVG) and a collapsed-stacks file.

Usage: perf script -i perf.data | flamegraph.py OUT_PREFIX [TITLE]
Writes OUT_PREFIX.svg (open it in a browser: hover a frame for its name and share) and
OUT_PREFIX.folded (one "frame;frame;... count" line per stack, the format flamegraph.pl reads).
Java frames are named when the JVM ran with -XX:+PreserveFramePointer and `jcmd <pid>
Compiler.perfmap` wrote /tmp/perf-<pid>.map before `perf record -g`.
"""
import collections
import html
import re
import sys

WIDTH, ROW, FONT = 1600, 16, 11
MAX_DEPTH = 64  # deeper frames (runaway stack walks) are cut, so the graph stays readable


def collapse(lines):
    stacks = collections.Counter()
    frames = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                stacks[";".join(reversed(frames))] += 1
            frames = []
            continue
        if line[0] not in " \t":
            frames = []  # the sample's header line: command, pid, time, event
            continue
        parts = line.strip().split(" ", 1)
        name = parts[1] if len(parts) > 1 else parts[0]
        name, _, dso = name.rpartition(" (")
        name = re.sub(r"\+0x[0-9a-f]+$", "", name).replace(";", ":")
        if "kernel.kallsyms" in dso:
            name += " [k]"
        frames.append(name or "[unknown]")
    if frames:
        stacks[";".join(reversed(frames))] += 1
    return stacks


def tree(stacks):
    root = {"name": "all", "count": 0, "children": {}}
    for stack, count in stacks.items():
        root["count"] += count
        node = root
        for frame in stack.split(";")[:MAX_DEPTH]:
            node = node["children"].setdefault(frame, {"name": frame, "count": 0, "children": {}})
            node["count"] += count
    return root


def colour(name):
    if name.endswith("[k]"):
        return "#e8a838"  # kernel
    if "io.livepush" in name:
        return "#58b368"
    if "io.netty" in name:
        return "#5b8def"
    return "#d9654b"


def render(root, title):
    rects = []
    depth_max = [0]

    def walk(node, x, depth):
        depth_max[0] = max(depth_max[0], depth)
        width = WIDTH * node["count"] / root["count"]
        if width < 0.3:
            return
        rects.append((x, depth, width, node))
        child_x = x
        for child in sorted(node["children"].values(), key=lambda c: c["name"]):
            walk(child, child_x, depth + 1)
            child_x += WIDTH * child["count"] / root["count"]

    walk(root, 0.0, 0)
    height = (depth_max[0] + 3) * ROW
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="monospace" '
        f'font-size="{FONT}">',
        f'<text x="4" y="{ROW - 3}">{html.escape(title)} ({root["count"]} samples)</text>',
    ]
    for x, depth, width, node in rects:
        y = height - (depth + 1) * ROW
        share = 100.0 * node["count"] / root["count"]
        label = html.escape(node["name"])
        out.append(
            f'<g><title>{label} ({share:.2f} %)</title><rect x="{x:.1f}" y="{y}" width="{max(width - 0.5, 0.1):.1f}" '
            f'height="{ROW - 1}" fill="{colour(node["name"])}"/>'
        )
        chars = int(width / (FONT * 0.6))
        if chars > 3:
            text = node["name"] if len(node["name"]) <= chars else node["name"][: chars - 2] + ".."
            out.append(f'<text x="{x + 2:.1f}" y="{y + ROW - 4}">{html.escape(text)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    prefix = sys.argv[1]
    title = sys.argv[2] if len(sys.argv) > 2 else prefix
    stacks = collapse(sys.stdin)
    with open(prefix + ".folded", "w") as f:
        for stack, count in stacks.most_common():
            f.write(f"{stack} {count}\n")
    with open(prefix + ".svg", "w") as f:
        f.write(render(tree(stacks), title))


if __name__ == "__main__":
    main()
