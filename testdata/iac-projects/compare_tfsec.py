#!/usr/bin/env python3
"""Count a project's documented issues whose resource holds a tfsec result.

Usage: compare_tfsec.py PROJECT_DIR TFSEC.json [PREFIX]
TFSEC.json is `tfsec DIR --format json --no-color --soft-fail`; PREFIX is the
directory tfsec ran on, relative to PROJECT_DIR ("terraform"). The measure is
the one TestRealProjects logs as "a finding of any rule in their resource".
"""
import json
import os
import sys

project, report = sys.argv[1:3]
prefix = sys.argv[3] if len(sys.argv) > 3 else ""
root = os.path.realpath(os.path.join(project, prefix))
results = json.load(open(report)).get("results") or []
spans = {}
for r in results:
    loc = r["location"]
    rel = os.path.relpath(os.path.realpath(loc["filename"]) if os.path.isabs(loc["filename"]) else os.path.join(root, loc["filename"]), os.path.realpath(project))
    spans.setdefault(rel, []).append((loc["start_line"], loc["end_line"]))
exps = [json.loads(l) for l in open(os.path.join(project, "expected.jsonl"))]
tf = [e for e in exps if e["path"].endswith(".tf")]
near = sum(1 for e in tf if any(s <= max(e["end"], e["line"]) and max(t, s) >= e["line"] for s, t in spans.get(e["path"], [])))
print("tfsec: %d results; %d of %d documented Terraform issues have a result in their resource" % (len(results), near, len(tf)))
