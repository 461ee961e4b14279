#!/usr/bin/env python3
# precision_sample3.py BASEDIR NEWDIR SAMPLEDIR PROJECT... (PRECISION.md round 3): findings whose rule id is not in the base
# scan's rule set (all projects pooled) = new checks; grouped tf-/cfn-, sorted, Random(14).sample 30.
import json,random,sys
base,new,sd=sys.argv[1],sys.argv[2],sys.argv[3]; projects=sys.argv[4:]
import os
old=set(); pooled=[]
allold=set(l.strip() for l in open('/tmp/prec/oldrules.txt'))
for p in projects:
    for f in json.load(open(f'{new}/{p}.json')).get('findings') or []:
        f['project']=p; pooled.append(f)
pooled.sort(key=lambda f:(f['project'],f['path'],f['start_line'],f['rule_id']))
newf=[f for f in pooled if f['rule_id'] not in allold]
groups={'tf':[f for f in newf if f['rule_id'].startswith('iac/tf-')],'cfn':[f for f in newf if f['rule_id'].startswith('iac/cfn-')]}
os.makedirs(sd,exist_ok=True)
for g,fs in groups.items():
    s=random.Random(14).sample(fs,min(30,len(fs)))
    print(g,len(fs),len(s), 'rules', len(set(f['rule_id'] for f in fs)))
    json.dump(s,open(f'{sd}/{g}.json','w'))
    with open(f'{sd}/{g}.txt','w') as o:
        for i,f in enumerate(s):
            o.write(f"=== {g}#{i+1} {f['project']} {f['path']}:{f['start_line']}-{f['end_line']} {f['rule_id']} [{f['severity']}]\n{f['title']}\n{f['message']}\nEVIDENCE: {f.get('evidence','')}\n")
            lines=open(f"/tmp/prec/p/{f['project']}/{f['path']}").read().split('\n')
            a=max(0,f['start_line']-4)
            for k in range(a,min(len(lines),f['end_line']+3,a+60)):
                o.write(f'{k+1:5}| {lines[k]}\n')
