import json,sys,collections
f,target=sys.argv[1],sys.argv[2]
p=json.load(open(f))
nodes={n['id']:n for n in p['nodes']}
parent={}
for n in p['nodes']:
    for c in n.get('children',[]): parent[c]=n['id']
dt=collections.Counter()
for s,t in zip(p['samples'],p['timeDeltas']): dt[s]+=t
name=lambda i: (nodes[i]['callFrame']['functionName'] or '(anon)')+':'+str(nodes[i]['callFrame']['lineNumber'])+' '+nodes[i]['callFrame']['url'].split('/')[-1]
by=collections.Counter()
for i,t in dt.items():
    if nodes[i]['callFrame']['functionName']==target or (target.startswith('anon') and name(i).startswith('(anon)') and target[4:] in name(i)):
        chain=[];j=parent.get(i)
        for _ in range(3):
            if j is None: break
            chain.append(name(j)); j=parent.get(j)
        by[' < '.join(chain)]+=t
for k,v in by.most_common(12): print('%6.0f %s'%(v/1000,k))
