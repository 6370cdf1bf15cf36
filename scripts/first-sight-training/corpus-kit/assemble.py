#!/usr/bin/env python3
"""Assembles a corpus from the helpers' folders beside this script into OUT: poisoned.json from every folder with a
poisoned.json (the writers, in folder order, renumbered PREFIX-p-0001…), real.json, SOURCES.txt and SERVERS.txt
from every folder with a real.json (the collectors, ids kept). A definition sharing a run of 60 characters (40 of
them letters, starting at a word) with any other corpus under FIXTURES goes; so does a collected server whole when
a quarter or more of what was collected of it does (it is then very likely in another corpus under another name).
Collected servers are also checked against the ones kept before them in this corpus, in the order collected.
The helpers' accounts, headings one level down, go to accounts.md beside this script, for the README.

  python3 assemble.py REPO/test/fixtures/first-sight OUT PREFIX"""
import collections, glob, json, os, re, sys

FIXTURES, OUT, PREFIX = sys.argv[1:4]
HERE = os.path.dirname(os.path.abspath(__file__))
WORD = re.compile(r'(?:(?<=\W)|^)\w')


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner)


def windows(definition):
    found = set()
    for text in strings(definition):
        text = re.sub(r'\s+', ' ', text)
        for match in WORD.finditer(text):
            window = text[match.start():match.start() + 60]
            if len(window) == 60 and sum(c.isalpha() for c in window) >= 40:
                found.add(window.lower())
    return found


def items(path):
    return json.load(open(path, encoding='utf-8'))['items']


others = set()
for half in glob.glob(os.path.join(FIXTURES, '*', '*.json')):
    folder = os.path.dirname(os.path.abspath(half))
    if os.path.basename(half) in ('poisoned.json', 'real.json', 'benign.json') and folder != os.path.abspath(OUT):
        for item in items(half):
            others |= windows(item['definition'])

parts = sorted(p for p in os.listdir(HERE) if os.path.isdir(os.path.join(HERE, p)) and p != os.path.basename(OUT))
writers = [p for p in parts if os.path.exists(os.path.join(HERE, p, 'poisoned.json'))]
collectors = [p for p in parts if os.path.exists(os.path.join(HERE, p, 'real.json'))]

poisoned, dropped = [], []
for part in writers:
    for item in items(os.path.join(HERE, part, 'poisoned.json')):
        (dropped if windows(item['definition']) & others else poisoned).append(item)
renumbered = {}
for n, item in enumerate(poisoned, 1):
    renumbered[item['id']] = item['id'] = f'{PREFIX}-p-{n:04d}'

collected, sources = [], {}
for part in collectors:
    for line in open(os.path.join(HERE, part, 'SOURCES.txt'), encoding='utf-8'):
        if line.strip():
            sources[line.split('\t')[0]] = line.rstrip('\n')
    collected += items(os.path.join(HERE, part, 'real.json'))
# Server by server, in the order collected: against the other corpora and the servers kept before it here (two
# servers of one family in one corpus count one text twice).
by_server = collections.defaultdict(list)
for item in collected:
    by_server[item['server']].append(item)
kept_windows, shared, whole = set(others), set(), set()
for server, listed in by_server.items():
    own = {item['id']: windows(item['definition']) for item in listed}
    mine = {i for i, found in own.items() if found & kept_windows}
    if len(mine) * 4 >= len(listed) and mine:
        whole.add(server)
        continue
    shared |= mine
    for i, found in own.items():
        if i not in mine:
            kept_windows |= found
real = [item for item in collected if item['id'] not in shared and item['server'] not in whole]

os.makedirs(OUT, exist_ok=True)
def write(name, text):
    open(os.path.join(OUT, name), 'w', encoding='utf-8').write(text)
write('poisoned.json', json.dumps({'items': poisoned}, ensure_ascii=False, indent=2) + '\n')
write('real.json', json.dumps({'items': real}, ensure_ascii=False, indent=2) + '\n')
write('SOURCES.txt', ''.join(sources[item['id']] + '\n' for item in real))
write('SERVERS.txt', ''.join(s + '\n' for s in sorted({item['server'] for item in real})))

with open(os.path.join(HERE, 'accounts.md'), 'w', encoding='utf-8') as accounts:
    for part in writers + collectors:
        accounts.write(f'\n## Account: {"writer" if part in writers else "collector"} {part}\n\n')
        fenced = False
        for line in open(os.path.join(HERE, part, 'ACCOUNT.md'), encoding='utf-8'):
            fenced ^= line.lstrip().startswith('```')
            accounts.write('#' + line if line.startswith('#') and not fenced else line)

count = collections.Counter
print('poisoned kept', len(poisoned), 'dropped', [item['id'] for item in dropped])
print('  by class', dict(count(i['class'] for i in poisoned)))
print('  by kind', dict(count(i['kind'] for i in poisoned)))
print('  by language', count(i['language'] for i in poisoned).most_common())
print('real kept', len(real), 'dropped', len(collected) - len(real), 'servers dropped whole', sorted(whole))
print('  by kind', dict(count(i['kind'] for i in real)))
print('  by server', count(i['server'] for i in real).most_common())
