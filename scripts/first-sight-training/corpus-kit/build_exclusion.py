#!/usr/bin/env python3
"""Writes exclusion.txt beside this script: every server any corpus in the repository holds or lists, as claim.py
names them (github:owner/name, npm:package, pypi:package), versions and commits dropped. Built from the corpora
alone, so that claims a past round made and never used block nothing.

  python3 build_exclusion.py REPO/test/fixtures/first-sight"""
import glob, json, os, re, sys


def norm(server):
    server = server.split('\t')[0].split('#')[0].strip()
    if not server or server.startswith('#'):
        return None
    if server.startswith('github:'):
        return 'github:' + server[7:].split('@')[0].rstrip('/').lower()
    if server.startswith('pypi:'):
        return 'pypi:' + server[5:].split('@')[0].split('==')[0].lower()
    match = re.match(r'^(@?[^@]+)(@.*)?$', server.removeprefix('npm:'))
    return 'npm:' + match.group(1).lower()


root = sys.argv[1]
names = set()
for listed in glob.glob(os.path.join(root, '*', 'SERVERS.txt')):
    names.update(norm(line) for line in open(listed, encoding='utf-8'))
for half in glob.glob(os.path.join(root, '*', 'real.json')):
    names.update(norm(item['server']) for item in json.load(open(half, encoding='utf-8'))['items'])
# The listings the bench serves: npm packages by name.
listings = json.load(open(os.path.join(root, 'real-definitions.json'), encoding='utf-8'))
names.update('npm:' + server['package'].lower() for server in listings['servers'])
names.discard(None)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'exclusion.txt')
open(out, 'w').write('\n'.join(sorted(names)) + '\n')
print(f'{len(names)} servers in {out}')
