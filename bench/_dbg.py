import sys, json
from orchestra.registry import default_registry
from orchestra.tools.cleanup import with_support_tools
from bench.planning_quality import registry_document, DEFAULT_DATA
import tempfile, pathlib
from orchestra.analysis.data import extract
from orchestra.analysis.clauses import clauses
from orchestra.analysis import heuristic as h
doc = registry_document(json.loads((DEFAULT_DATA/'tool_desc.json').read_text()))
f = pathlib.Path(tempfile.mkdtemp())/'t.json'; f.write_text(json.dumps(doc))
r = default_registry([f]); with_support_tools(r)
index = r.index()
samples = {json.loads(l)['id']: json.loads(l) for l in (DEFAULT_DATA/'samples.jsonl').read_text().splitlines()}
for arg in sys.argv[1:]:
    task = samples[arg]['instruction'] if arg in samples else arg
    print('TASK', task)
    ex = extract(task)
    print(' items', [(d.kind, d.value) for d in ex.items])
    for c in clauses(ex.text, lambda w: h._names_work(w, index)):
        g = h._goal(c, ex, index)
        av = ()
        rk = h.rank(index, g.query, av, g.wants)
        print(f'  CLAUSE asked={c.asked} ctx={c.context} q={c.question} ord={c.ordered}: {c.text!r}')
        print('     terms', g.query, 'wants', g.wants, 'back', g.refers_back)
        for x in rk[:3]: print(f'     {x.tool:30} rel={x.relevance:.2f} cov={x.coverage:.2f} takes={x.takes} makes={x.makes} {x.matched}')
    try:
        a = h.analyse_heuristic(task, r)
        for s in a.steps: print('  STEP', s.id, s.candidates[:2], s.depends_on, [d.value for d in s.data])
    except Exception as e: print('  ERR', e)
