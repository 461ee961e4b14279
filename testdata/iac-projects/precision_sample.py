#!/usr/bin/env python3
"""Draws the precision samples of PRECISION.md (round 2).

Usage: precision_sample.py OUT_DIR SAMPLE_DIR PROJECT...

OUT_DIR holds <project>.json, the output of
`shiftward scan --all --scanners iac --format json /tmp/prec/p/<project>`.
Findings are pooled per format (by rule id prefix), sorted by
(project, path, line, rule) and sampled with
random.Random(14).sample(findings, min(30, n)); two more groups are drawn the
same way: the findings that came through evaluation (a message naming
"through `...` set here", or evidence reading var./local./module.) and the
CloudFormation findings in JSON templates. Each group is written to
SAMPLE_DIR/<group>.json (the findings) and <group>.txt (each finding with the
lines it points at, read from /tmp/prec/p/<project>, for judging).
"""
import json
import random
import re
import sys

FORMATS = [('tf-', 'terraform'), ('k8s-', 'kubernetes'), ('cfn-', 'cloudformation'),
           ('compose-', 'compose'), ('dockerfile-', 'dockerfile')]


def fmt(rule_id):
    r = rule_id.split('/', 1)[1]
    for prefix, name in FORMATS:
        if r.startswith(prefix):
            return name
    return 'other'


def evaluated(f):
    m, e = f['message'], f.get('evidence', '')
    return 'through `' in m or 'set here' in m or bool(re.search(r'\b(var|local|module)\.', e))


def main(out, sd, projects):
    pooled = []
    for p in projects:
        for f in json.load(open(f'{out}/{p}.json'))['findings']:
            f['project'] = p
            pooled.append(f)
    pooled.sort(key=lambda f: (f['project'], f['path'], f['start_line'], f['rule_id']))
    groups = {}
    for f in pooled:
        groups.setdefault(fmt(f['rule_id']), []).append(f)
    groups['evaluated'] = [f for f in pooled if evaluated(f)]
    groups['cfn-json'] = [f for f in pooled if fmt(f['rule_id']) == 'cloudformation' and f['path'].endswith('.json')]
    for g, fs in groups.items():
        s = random.Random(14).sample(fs, min(30, len(fs)))
        print(g, len(fs), len(s))
        json.dump(s, open(f'{sd}/{g}.json', 'w'))
        with open(f'{sd}/{g}.txt', 'w') as o:
            for i, f in enumerate(s):
                o.write(f"=== {g}#{i+1} {f['project']} {f['path']}:{f['start_line']}-{f['end_line']} {f['rule_id']}\n"
                        f"{f['message']}\nEVIDENCE: {f.get('evidence', '')}\n")
                try:
                    lines = open(f"/tmp/prec/p/{f['project']}/{f['path']}").read().split('\n')
                except OSError as e:
                    o.write(f'{e}\n')
                    continue
                a = max(0, f['start_line'] - 3)
                for k in range(a, min(len(lines), f['end_line'] + 2, a + 40)):
                    o.write(f'{k+1:5}| {lines[k]}\n')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
