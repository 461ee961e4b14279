#!/usr/bin/env python3
"""Turn a project's published Checkov report (a markdown table) into expected.jsonl.

Usage: checkov_table.py PROJECT_DIR REPORT.md SOURCE_LABEL [SECTION_TITLE ...]

Each table row names a check, a file and a resource; the row becomes one
expectation whose line is where the resource starts (a Terraform block's
header, a Kubernetes document's first line, a Dockerfile instruction or line
1 for the whole file) and whose end is where it ends. Rows whose file or
resource is not in the copied files are counted on stderr and left out.
Only sections whose heading contains one of SECTION_TITLE are read (all when
none is given). The rows are the project's documentation; nothing is added.
"""
import json
import os
import re
import sys


def rows(report, sections):
    keep = not sections
    header = None
    for n, line in enumerate(open(report, encoding="utf-8"), 1):
        if line.startswith("#"):
            keep = not sections or any(s in line for s in sections)
            header = None
            continue
        if not keep or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if set(cells[0]) <= set("-: "):
            continue
        yield n, dict(zip(header, cells))


def block_end(lines, start):
    depth, opened = 0, False
    for i in range(start, len(lines)):
        depth += lines[i].count("{") - lines[i].count("}")
        opened = opened or "{" in lines[i]
        if opened and depth <= 0:
            return i + 1
    return len(lines)


def locate_tf(lines, resource):
    """Finds a resource, a data source (Checkov names it without "data.")
    or an aliased provider ("aws.alias"); type names may be unquoted."""
    parts = resource.split(".")
    if parts[0] == "data":
        parts = parts[1:]
    if len(parts) != 2:
        return None
    kinds = "resource|data"
    pat = r'^\s*(%s)\s+"?%s"?\s+"%s"' % (kinds, re.escape(parts[0]), re.escape(parts[1]))
    for i, l in enumerate(lines):
        if re.match(pat, l):
            return i + 1, block_end(lines, i)
    for i, l in enumerate(lines):
        if re.match(r'^\s*provider\s+"?%s"?\s*\{' % re.escape(parts[0]), l):
            end = block_end(lines, i)
            if any(re.match(r'^\s*alias\s*=\s*"%s"' % re.escape(parts[1]), x) for x in lines[i:end]):
                return i + 1, end
    return None


def documents(lines):
    start = 0
    for i, l in enumerate(lines + ["---"]):
        if l.startswith("---"):
            if i > start:
                yield start, i
            start = i + 1


def locate_k8s(lines, resource):
    kind, _, name = resource.split(".", 2) if resource.count(".") >= 2 else (resource, "", "")
    for s, e in documents(lines):
        doc = lines[s:e]
        if not any(re.match(r"^kind:\s*%s\s*$" % re.escape(kind), l) for l in doc):
            continue
        if not any(re.match(r"^  name:\s*[\"']?%s[\"']?\s*$" % re.escape(name), l) for l in doc):
            continue
        first = next(i for i in range(s, e) if lines[i].strip() and not lines[i].lstrip().startswith("#"))
        last = max(i for i in range(s, e) if lines[i].strip())
        return first + 1, last + 1
    return None


def locate_docker(lines, resource):
    instr = resource.rsplit(".", 1)[-1] if "." in os.path.basename(resource) else ""
    if not instr:
        return 1, len(lines)
    for i, l in enumerate(lines):
        if re.match(r"^\s*%s\s" % re.escape(instr), l, re.I):
            return i + 1, i + 1
    return None


def locate_secret(lines):
    for i, l in enumerate(lines):
        if re.search(r"AKIA[0-9A-Z]{16}", l):
            return i + 1, i + 1
    return None


def main():
    project, report, label = sys.argv[1:4]
    sections = sys.argv[4:]
    skipped = 0
    out = []
    for n, r in rows(report, sections):
        rel = r["file"].lstrip("/")
        cands = [rel, os.path.join("terraform", rel)]
        path = next((c for c in cands if os.path.isfile(os.path.join(project, c))), None)
        if path is None:
            skipped += 1
            continue
        lines = open(os.path.join(project, path), encoding="utf-8").read().split("\n")
        check, res = r["check_id"], r["resource"]
        if check == "CKV_SECRET_2":
            span = locate_secret(lines)
        elif check.startswith("CKV_SECRET"):
            span = None
        elif path.endswith(".tf"):
            span = locate_tf(lines, res)
        elif os.path.basename(path).lower().startswith("dockerfile"):
            span = locate_docker(lines, res)
        else:
            span = locate_k8s(lines, res)
        if span is None:
            skipped += 1
            continue
        out.append({
            "path": path, "line": span[0], "end": span[1], "resource": res,
            "issue": "%s: %s" % (check, r["check_name"]),
            "source": "%s, line %d" % (label, n),
        })
    with open(os.path.join(project, "expected.jsonl"), "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o) + "\n")
    print("%s: %d expectations, %d rows skipped" % (project, len(out), skipped), file=sys.stderr)


if __name__ == "__main__":
    main()
