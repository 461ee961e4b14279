#!/usr/bin/env python3
# precision_sample4.py OLDRULES SCANDIR SAMPLEDIR PROJECTDIR PROJECT... (PRECISION.md round 4): the findings of rules
# not listed in OLDRULES (`shiftward rules` at the session's start, one id per line), pooled over the projects'
# `shiftward scan --all --scanners iac --format json` output (SCANDIR/<project>.json) and sorted by (project, path,
# line, rule). One rule, cfn-ec2-instance-imdsv1, held two thirds of the pool: every finding of the other rules is
# judged, and random.Random(14).sample(.., 5) of its own.
import json, os, random, sys

oldrules, scans, out, root = sys.argv[1:5]
projects = sys.argv[5:]
old = {l.strip() for l in open(oldrules)}
pooled = []
for p in projects:
    for f in json.load(open(f'{scans}/{p}.json')).get('findings') or []:
        if f['rule_id'] not in old:
            f['project'] = p
            pooled.append(f)
pooled.sort(key=lambda f: (f['project'], f['path'], f['start_line'], f['rule_id']))
big = 'iac/cfn-ec2-instance-imdsv1'
sample = [f for f in pooled if f['rule_id'] != big] + random.Random(14).sample([f for f in pooled if f['rule_id'] == big], 5)
os.makedirs(out, exist_ok=True)
json.dump(sample, open(f'{out}/sample.json', 'w'))
with open(f'{out}/sample.txt', 'w') as o:
    for i, f in enumerate(sample, 1):
        o.write(f"=== #{i} {f['project']} {f['path']}:{f['start_line']}-{f['end_line']} {f['rule_id']} [{f['severity']}]\n"
                f"{f['title']}\nEVIDENCE: {f.get('evidence', '')}\n")
        lines = open(f"{root}/{f['project']}/{f['path']}").read().split('\n')
        a = max(0, f['start_line'] - 3)
        for k in range(a, min(len(lines), f['end_line'] + 2, a + 30)):
            o.write(f'{k + 1:5}| {lines[k]}\n')
print(len(pooled), 'new-rule findings,', len(sample), 'sampled')
