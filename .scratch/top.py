import json,sys,glob,collections
for f in sys.argv[1:]:
    p=json.load(open(f))
    nodes={n['id']:n for n in p['nodes']}
    dt=collections.Counter()
    for s,t in zip(p['samples'],p['timeDeltas']): dt[s]+=t
    self=collections.Counter()
    for i,t in dt.items():
        n=nodes[i]['callFrame']; self[(n['functionName'] or '(anon)')+' '+n['url'].split('/')[-1]+':'+str(n['lineNumber'])]+=t
    tot=sum(dt.values())
    print(f,'total ms',tot/1000)
    for k,v in self.most_common(22): print('  %7.0f %s'%(v/1000,k))
