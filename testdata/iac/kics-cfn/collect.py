#!/usr/bin/env python3
"""Copies KICS's CloudFormation query tests into testdata/iac/kics-cfn and writes
index.json in the corpus's KICS schema (see ../README.md, "kics-cfn/").

usage: collect.py GIT_DIR COMMIT   (a mirror of protektiq/driftbuddy, which vendors
Checkmarx/kics assets/queries verbatim; 96da89094db772d179a4d3d36cc5ce6519f70536)

Every test file of every query under assets/queries/cloudFormation/{aws,aws_sam}
is copied byte for byte; query.rego is never read. Expected results come from the
query's test/positive_expected_result.json: an entry naming its file
(fileName/filename) belongs to that file; an entry naming none belongs to the
query's only positive file, and is dropped when the query has several (which
file it meant is not known).
"""
import json, os, subprocess, sys

git_dir, commit = sys.argv[1], sys.argv[2]
out = os.path.dirname(os.path.abspath(__file__))
root = 'assets/queries/cloudFormation/'


def git(*args):
    return subprocess.run(['git', '--git-dir', git_dir, *args], check=True, capture_output=True).stdout


names = git('ls-tree', '-r', '--name-only', commit, root).decode().splitlines()
queries, by_dir = {}, {}
for n in names:
    rel = n[len(root):]
    parts = rel.split('/')
    if parts[0] not in ('aws', 'aws_sam') or len(parts) < 3:
        continue
    by_dir.setdefault('/'.join(parts[:2]), []).append(n)

cases = []
for qdir, files in sorted(by_dir.items()):
    meta = next((f for f in files if f.endswith('/metadata.json')), None)
    if meta is None:
        continue
    m = json.loads(git('show', f'{commit}:{meta}'))
    queries[m['id']] = {'query_dir': 'cloudFormation/' + qdir, 'id': m['id'], 'queryName': m.get('queryName'),
                        'severity': m.get('severity'), 'category': m.get('category'),
                        'descriptionUrl': m.get('descriptionUrl'), 'cwe': m.get('cwe')}
    tests = sorted(f for f in files if '/test/' in f)
    expected = []
    exp = next((f for f in tests if f.endswith('positive_expected_result.json')), None)
    if exp:
        expected = json.loads(git('show', f'{commit}:{exp}'))
    samples = [f for f in tests if os.path.basename(f).startswith(('positive', 'negative'))
               and not f.endswith('_expected_result.json')]
    positives = [f for f in samples if os.path.basename(f).startswith('positive')]
    for f in samples:
        base = os.path.basename(f)
        dest = os.path.join(out, 'cloudFormation', qdir, base)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'wb') as fh:
            fh.write(git('show', f'{commit}:{f}'))
        label = 'positive' if base.startswith('positive') else 'negative'
        results = []
        if label == 'positive':
            for e in expected:
                name = e.get('fileName') or e.get('filename')
                if name == base or (not name and len(positives) == 1):
                    results.append({'line': e.get('line'), 'fileName': base})
        cases.append({'file': f'iac/kics-cfn/cloudFormation/{qdir}/{base}', 'query_id': m['id'],
                      'label': label, 'expected_results': results})

with open(os.path.join(out, 'index.json'), 'w') as fh:
    json.dump({'_source': {'repo': 'Checkmarx/kics (vendored verbatim at protektiq/driftbuddy)',
                           'vendored_commit': commit,
                           'paths': 'assets/queries/cloudFormation/{aws,aws_sam}/<query>/{metadata.json,test/*}',
                           'license': 'Apache-2.0'},
               'queries': queries, 'cases': cases}, fh, separators=(',', ':'), sort_keys=True)
print(len(queries), 'queries', len(cases), 'files', sum(1 for c in cases if c['label'] == 'positive'), 'positive')
