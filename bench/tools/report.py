#!/usr/bin/env python3
"""Turn bench/run.sh raw records into latest.json, latest.md and SVG plots.

Standard library only.  Input: one JSON object per line, written by run.sh:
  {"kind":"info", "expected":RT, "info":{...}}             runtime identified
  {"kind":"runtime", "expected":RT, "note":...}           runtime unavailable
  {"kind":"result", "expected":RT, "threads_requested":N, "rep":R,
   "result":{...ompbench line...}}
  {"kind":"fail", "expected":RT, "threads":N, "id":..., "error":...}
A runtime's value for a row is null unless every one of its runs for that row
succeeded, identified the expected runtime, got the requested team size,
passed the benchmark's own validity check and resolved every GOMP_*/omp_*
symbol the benchmark uses from that runtime.
"""
import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys

RUNTIMES = ["hsomp", "libgomp", "libomp"]
COLORS = {"hsomp": "#d1495b", "libgomp": "#00798c", "libomp": "#edae49"}
GROUP_ORDER = {"sync": 0, "sched": 1, "task": 2, "dgemm": 3, "empty": 4}


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=20).stdout.strip()
    except Exception:
        return ""


def machine_info(mode, infos, notes, args):
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "os": sh(". /etc/os-release 2>/dev/null && echo $PRETTY_NAME"),
        "gcc_version": sh("gcc --version | head -n 1"),
        "libomp_package": sh("dpkg-query -W -f='${Package} ${Version}\\n' libomp5-14 libomp-dev 2>/dev/null").replace("\n", ", "),
        "libomp_path": args.libomp_lib,
        "hsomp_path": args.hsomp_lib,
        "hsomp_commit": sh("git -C '%s' rev-parse --short HEAD" % top),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mode": mode,
        "loadavg_at_end": sh("cut -d' ' -f1-3 /proc/loadavg"),
        "runtimes": {rt: infos.get(rt) for rt in RUNTIMES},
        "runtime_notes": {rt: notes[rt] for rt in notes},
    }


def mean(v):
    return sum(v) / len(v)


def sd(v):
    if len(v) < 2:
        return 0.0
    m = mean(v)
    return math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))


def median(v):
    s = sorted(v)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def aggregate(records):
    """rows[(id, threads)] = {"meta": first result, rt: {"samples", "bad"}}"""
    rows = {}
    order = []

    def row(key):
        if key not in rows:
            rows[key] = {"meta": None}
            order.append(key)
        return rows[key]

    for rec in records:
        kind = rec.get("kind")
        if kind == "result":
            res = rec["result"]
            rt = rec["expected"]
            key = (res["id"], rec["threads_requested"])
            r = row(key)
            if r["meta"] is None:
                r["meta"] = res
            slot = r.setdefault(rt, {"samples": [], "bad": []})
            problems = []
            if res.get("runtime") != rt:
                problems.append("ran under %s" % res.get("runtime"))
            if res.get("threads") != rec["threads_requested"]:
                problems.append("team of %s" % res.get("threads"))
            if not res.get("valid", False):
                problems.append("wrong result")
            if res.get("foreign_symbols"):
                problems.append("falls back to libgomp for " + " ".join(res["foreign_symbols"]))
            samples = [x for x in res.get("samples", []) if x is not None]
            if not samples:
                problems.append("no samples")
            if problems:
                slot["bad"].append("; ".join(problems))
            else:
                slot["samples"].extend(samples)
        elif kind == "fail":
            key = (rec["id"].split(" ")[0], rec["threads"])
            r = row(key)
            slot = r.setdefault(rec["expected"], {"samples": [], "bad": []})
            slot["bad"].append(rec.get("error", "failed"))
    return rows, order


def display_name(key, meta):
    if meta:
        return meta["name"]
    ident = key[0]
    if ident.startswith("sched:"):
        _, kind, chunk = ident.split(":")
        return "SCHED %s,%s" % (kind.upper(), chunk)
    if ident.startswith("dgemm:"):
        return "DGEMM " + ident.split(":")[1]
    if ident == "empty":
        return "EMPTY PARALLEL REGIONS"
    return ident.upper().replace("_", " ")


def group_of(ident):
    if ident.startswith("sched:"):
        return "sched"
    if ident.startswith("dgemm:"):
        return "dgemm"
    if ident == "empty":
        return "empty"
    if ident in ("parallel_task", "master_task", "conditional_task", "taskwait",
                 "task_barrier", "master_task_deps", "parallel_task_deps",
                 "nested_task", "branch_tree", "leaf_tree"):
        return "task"
    return "sync"


def build_results(rows, order, available):
    results = []
    for key in order:
        r = rows[key]
        meta = r["meta"]
        ident, threads = key
        group = meta["group"] if meta else group_of(ident)
        unit = meta["unit"] if meta else ("ms" if group == "dgemm" else "us")
        out = {"name": display_name(key, meta), "id": ident, "group": group,
               "threads": threads, "unit": unit,
               "runtimes": {}, "min": {}, "median": {}, "sd": {}, "samples": {},
               "notes": {}}
        for rt in RUNTIMES:
            slot = r.get(rt)
            if rt not in available:
                note = available.get("_why_" + rt, "runtime not available")
                out["runtimes"][rt] = None
                out["notes"][rt] = note
                continue
            if slot is None or slot["bad"] or not slot["samples"]:
                out["runtimes"][rt] = None
                out["notes"][rt] = "; ".join(sorted(set(slot["bad"]))) if slot and slot["bad"] else "not run"
                continue
            v = slot["samples"]
            out["runtimes"][rt] = round(mean(v), 6)
            out["min"][rt] = round(min(v), 6)
            out["median"][rt] = round(median(v), 6)
            out["sd"][rt] = round(sd(v), 6)
            out["samples"][rt] = len(v)
        refs = [out["runtimes"][rt] for rt in ("libgomp", "libomp") if out["runtimes"][rt] is not None]
        h = out["runtimes"]["hsomp"]
        out["ratio"] = round(h / min(refs), 3) if h is not None and refs and min(refs) > 0 else None
        drefs = [out["median"][rt] for rt in ("libgomp", "libomp") if rt in out["median"]]
        hd = out["median"].get("hsomp")
        out["ratio_median"] = round(hd / min(drefs), 3) if hd is not None and drefs and min(drefs) > 0 else None
        mrefs = [out["min"][rt] for rt in ("libgomp", "libomp") if rt in out["min"]]
        hm = out["min"].get("hsomp")
        out["ratio_min"] = round(hm / min(mrefs), 3) if hm is not None and mrefs and min(mrefs) > 0 else None
        if meta:
            for extra in ("schedule", "chunk", "iters_per_thread", "n", "regions"):
                if extra in meta:
                    out[extra] = meta[extra]
        if not out["notes"]:
            del out["notes"]
        results.append(out)
    # group order, then the order benchmarks were run in, then threads
    results = sorted(results, key=lambda x: (GROUP_ORDER.get(x["group"], 9),
                                             first_index(order, x["id"]), x["threads"]))
    return results


def first_index(order, ident):
    for i, (k, _) in enumerate(order):
        if k == ident:
            return i
    return 10 ** 9


def fmt(x):
    if x is None:
        return "n/a"
    a = abs(x)
    if a >= 100:
        return "%.0f" % x
    if a >= 10:
        return "%.1f" % x
    if a >= 1:
        return "%.2f" % x
    return "%.3f" % x


def write_md(path, machine, results):
    m = machine
    lines = []
    lines.append("# hsomp overhead benchmarks (%s mode)" % m["mode"])
    lines.append("")
    lines.append("%s, %s cores, Linux %s, %s, %s." % (m["cpu_model"], m["cores"], m["kernel"],
                                                    m["gcc_version"], m["date"]))
    lines.append("hsomp commit %s. Load average at the end: %s." % (m["hsomp_commit"], m["loadavg_at_end"]))
    lines.append("")
    lines.append("Values are means over all samples of all interleaved runs: overhead per construct "
                 "in microseconds (us), or wall time in milliseconds (ms) for DGEMM, or us per region "
                 "for EMPTY PARALLEL REGIONS. `ratio` = hsomp / min(libgomp, libomp) on the means, "
                 "`ratio(median)` and `ratio(min)` the same on the per-runtime medians and minima "
                 "of the samples (less sensitive to the stalls of a shared machine). "
                 "Below 1 hsomp is cheaper. n/a = not measured (see notes). "
                 "Method and caveats: [bench/README.md](../README.md).")
    lines.append("")
    for rt in RUNTIMES:
        note = m["runtime_notes"].get(rt)
        info = m["runtimes"].get(rt)
        if info:
            lines.append("- %s: `%s`%s" % (rt, info.get("runtime_lib", ""),
                                           (" version " + info["runtime_version"]) if info.get("runtime_version") else ""))
        elif note:
            lines.append("- %s: **not available** (%s)" % (rt, note))
    lines.append("")
    lines.append("| name | threads | unit | hsomp | libgomp | libomp | ratio | ratio(median) | ratio(min) |")
    lines.append("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    notes = []
    for r in results:
        cells = [r["name"], str(r["threads"]), r["unit"]]
        for rt in RUNTIMES:
            v = r["runtimes"][rt]
            c = fmt(v)
            if v is not None and rt in r["sd"]:
                c += " ±" + fmt(r["sd"][rt])
            cells.append(c)
        cells.append(fmt(r["ratio"]))
        cells.append(fmt(r["ratio_median"]))
        cells.append(fmt(r["ratio_min"]))
        lines.append("| " + " | ".join(cells) + " |")
        for rt, n in r.get("notes", {}).items():
            if m["runtimes"].get(rt):  # unavailable runtimes are noted above
                notes.append((r["name"], r["threads"], rt, n))
    lines.append("")
    lines.append("(± is the standard deviation of the samples.)")
    lines.append("")
    if notes:
        lines.append("## Missing values")
        lines.append("")
        # collapse identical notes
        by_note = {}
        for name, t, rt, n in notes:
            by_note.setdefault((rt, n), []).append("%s@%d" % (name, t))
        for (rt, n), where in sorted(by_note.items()):
            lines.append("- %s: %s — %s" % (rt, n, ", ".join(where)))
        lines.append("")
    lines.append("Plots: [overhead per construct](overhead.svg), [schedules](schedbench.svg), "
                 "[scaling](scaling.svg).")
    lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


# ------------------------------------------------------------------ SVG
def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Svg:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.items = []

    def add(self, s):
        self.items.append(s)

    def text(self, x, y, s, size=11, anchor="start", rotate=None, color="#222", weight="normal"):
        tr = ' transform="rotate(%d %.1f %.1f)"' % (rotate, x, y) if rotate else ""
        self.add('<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" fill="%s" font-weight="%s"%s>%s</text>'
                 % (x, y, size, anchor, color, weight, tr, esc(s)))

    def line(self, x1, y1, x2, y2, color="#999", width=1, dash=None):
        d = ' stroke-dasharray="%s"' % dash if dash else ""
        self.add('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%s"%s/>'
                 % (x1, y1, x2, y2, color, width, d))

    def rect(self, x, y, w, h, color, title=None):
        t = "<title>%s</title>" % esc(title) if title else ""
        self.add('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s">%s</rect>' % (x, y, w, h, color, t))

    def save(self, path):
        with open(path, "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
                    'viewBox="0 0 %d %d" font-family="sans-serif">\n' % (self.w, self.h, self.w, self.h))
            f.write('<rect width="100%" height="100%" fill="white"/>\n')
            f.write("\n".join(self.items))
            f.write("\n</svg>\n")


class LogAxis:
    """Maps positive values to [y0 (bottom), y1 (top)] on a log10 scale."""

    def __init__(self, values, y0, y1):
        vals = [v for v in values if v is not None and v > 0]
        lo = min(vals) if vals else 0.01
        hi = max(vals) if vals else 1.0
        self.lo = 10 ** math.floor(math.log10(lo))
        self.hi = 10 ** math.ceil(math.log10(hi))
        if self.hi <= self.lo:
            self.hi = self.lo * 10
        self.y0, self.y1 = y0, y1

    def __call__(self, v):
        v = max(v, self.lo)
        f = (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        return self.y0 - f * (self.y0 - self.y1)

    def ticks(self):
        t = self.lo
        while t <= self.hi * 1.0001:
            yield t
            t *= 10


def tick_label(t):
    return ("%g" % t)


def legend(svg, x, y):
    for i, rt in enumerate(RUNTIMES):
        svg.rect(x + i * 90, y - 9, 12, 10, COLORS[rt])
        svg.text(x + i * 90 + 16, y, rt)


def val(r, rt):
    """The plotted statistic: the median of a runtime's samples (robust to
    the stalls a shared machine adds to some samples)."""
    return r["median"].get(rt) if r["runtimes"][rt] is not None else None


def plot_overhead(path, results, threads=2):
    rows = [r for r in results if r["group"] in ("sync", "task") and r["threads"] == threads]
    if not rows:
        return
    left, top, bottom = 60, 50, 130
    bw = 9
    gw = bw * 3 + 12
    w = left + gw * len(rows) + 20
    h = 420
    svg = Svg(w, h)
    y0, y1 = h - bottom, top
    vals = [val(r, rt) for r in rows for rt in RUNTIMES]
    ax = LogAxis(vals, y0, y1)
    svg.text(left, 18, "Overhead per construct at %d threads: median of samples (us, log scale; lower is better)"
             % threads, size=13, weight="bold")
    legend(svg, left, 36)
    for t in ax.ticks():
        y = ax(t)
        svg.line(left, y, w - 10, y, "#ddd")
        svg.text(left - 6, y + 4, tick_label(t), anchor="end", size=10)
    svg.text(14, (y0 + y1) / 2, "us", rotate=-90, anchor="middle")
    for i, r in enumerate(rows):
        gx = left + i * gw + 6
        for j, rt in enumerate(RUNTIMES):
            v = val(r, rt)
            x = gx + j * bw
            if v is None:
                svg.text(x + bw / 2, y0 - 3, "×", anchor="middle", size=10, color=COLORS[rt])
                continue
            y = ax(v)
            svg.rect(x, y, bw - 1, y0 - y, COLORS[rt], "%s %s: %s us" % (r["name"], rt, fmt(v)))
        svg.text(gx + 1.5 * bw, y0 + 10, r["name"], size=10, anchor="end", rotate=-50)
    svg.line(left, y0, w - 10, y0, "#444")
    svg.text(left, h - 8, "Bars: median; × = not measured. Values at or below %g are drawn at the axis floor." % ax.lo, size=10)
    svg.save(path)


def line_panel(svg, x0, y0, pw, ph, title, series, xs, xlabel, logx, ax=None, xticklabels=None):
    """series: {rt: [(x, y or None)]}"""
    left, bottom = x0 + 50, y0 + ph - 35
    right, top = x0 + pw - 10, y0 + 25
    allv = [y for s in series.values() for _, y in s]
    ax = ax or LogAxis(allv, bottom, top)
    ax.y0, ax.y1 = bottom, top
    svg.text((left + right) / 2, y0 + 14, title, anchor="middle", size=12, weight="bold")
    for t in ax.ticks():
        y = ax(t)
        svg.line(left, y, right, y, "#e3e3e3")
        svg.text(left - 5, y + 4, tick_label(t), anchor="end", size=10)
    if logx:
        lx = [math.log2(x) for x in xs]
    else:
        lx = list(range(len(xs)))
    span = (max(lx) - min(lx)) or 1

    def X(xv):
        p = math.log2(xv) if logx else xs.index(xv)
        return left + (p - min(lx)) / span * (right - left)

    for i, xv in enumerate(xs):
        svg.text(X(xv), bottom + 14, (xticklabels or {}).get(xv, str(xv)), anchor="middle", size=10)
    svg.text((left + right) / 2, bottom + 30, xlabel, anchor="middle", size=10)
    svg.line(left, bottom, right, bottom, "#444")
    svg.line(left, bottom, left, top, "#444")
    for rt in RUNTIMES:
        pts = [(X(x), ax(y)) for x, y in series.get(rt, []) if y is not None and y > 0]
        if len(pts) > 1:
            svg.add('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                    % (COLORS[rt], " ".join("%.1f,%.1f" % p for p in pts)))
        for px, py in pts:
            svg.add('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (px, py, COLORS[rt]))


def plot_sched(path, results, threads=2):
    kinds = ["static", "dynamic", "guided"]
    rows = [r for r in results if r["group"] == "sched" and r["threads"] == threads]
    if not rows:
        return
    pw, ph = 330, 300
    svg = Svg(pw * 3 + 20, ph + 55)
    svg.text(10, 18, "Loop schedule overhead per loop at %d threads vs chunk size (median, us, log scale)"
             % threads, size=13, weight="bold")
    legend(svg, 10, 36)
    allv = [val(r, rt) for r in rows for rt in RUNTIMES]  # one y scale for all panels
    for i, kind in enumerate(kinds):
        kr = sorted([r for r in rows if r.get("schedule") == kind or r["id"].split(":")[1] == kind],
                    key=lambda r: int(r["id"].split(":")[2]))
        xs = [int(r["id"].split(":")[2]) for r in kr]
        if not xs:
            continue
        series = {rt: [(int(r["id"].split(":")[2]), val(r, rt)) for r in kr] for rt in RUNTIMES}
        line_panel(svg, 10 + i * pw, 50, pw, ph, kind, series, xs, "chunk size", logx=True,
                   ax=LogAxis(allv, 0, 0))
    svg.save(path)


def plot_scaling(path, results):
    panels = [("parallel", "PARALLEL"), ("barrier", "BARRIER"), ("empty", "EMPTY PARALLEL REGIONS")]
    pw, ph = 330, 300
    svg = Svg(pw * 3 + 20, ph + 55)
    svg.text(10, 18, "Overhead vs threads: median us per construct / per region, log scale (2 cores; 8 = oversubscribed)",
             size=13, weight="bold")
    legend(svg, 10, 36)
    any_panel = False
    for i, (ident, title) in enumerate(panels):
        rows = sorted([r for r in results if r["id"] == ident], key=lambda r: r["threads"])
        if not rows:
            continue
        any_panel = True
        xs = [r["threads"] for r in rows]
        series = {rt: [(r["threads"], val(r, rt)) for r in rows] for rt in RUNTIMES}
        line_panel(svg, 10 + i * pw, 50, pw, ph, title, series, xs, "threads", logx=True)
    if any_panel:
        svg.save(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="quick")
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--hsomp-lib", default="")
    ap.add_argument("--libomp-lib", default="")
    args = ap.parse_args()

    records = []
    with open(args.raw) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                records.append(json.loads(line))
            except ValueError:
                print("report: skipping malformed line: %s" % line[:120], file=sys.stderr)
    infos, notes = {}, {}
    for rec in records:
        if rec.get("kind") == "info":
            infos[rec["expected"]] = rec["info"]
        elif rec.get("kind") == "runtime":
            notes[rec["expected"]] = rec["note"]
    available = {rt: True for rt in infos}
    for rt, n in notes.items():
        available["_why_" + rt] = n

    rows, order = aggregate(records)
    results = build_results(rows, order, available)
    machine = machine_info(args.mode, infos, notes, args)

    os.makedirs(args.out, exist_ok=True)
    # write each file as NAME.tmp, then rename: readers never see half a file
    def out(name):
        return os.path.join(args.out, name + ".tmp")

    with open(out("latest.json"), "w") as f:
        json.dump({"machine": machine, "results": results}, f, indent=1)
        f.write("\n")
    write_md(out("latest.md"), machine, results)
    plot_overhead(out("overhead.svg"), results)
    plot_sched(out("schedbench.svg"), results)
    plot_scaling(out("scaling.svg"), results)
    for name in ("latest.json", "latest.md", "overhead.svg", "schedbench.svg", "scaling.svg"):
        if os.path.exists(out(name)):
            os.replace(out(name), os.path.join(args.out, name))

    n_h = sum(1 for r in results if r["runtimes"]["hsomp"] is not None)
    print("report: %d rows (%d with hsomp values) -> %s/latest.{json,md}, *.svg"
          % (len(results), n_h, args.out))


if __name__ == "__main__":
    main()
