#!/usr/bin/env python3
"""Claim a server before copying any of it, so that no two collectors copy the same one and none copies one that is
already used elsewhere.

  python3 claim.py claim github:owner/name COLLECTOR   -> CLAIMED, or REFUSED with the reason
  python3 claim.py claim npm:package-name COLLECTOR    (or pypi:package-name)
  python3 claim.py release github:owner/name COLLECTOR -> gives back a claim you will not use
  python3 claim.py mine COLLECTOR                      -> your claims
It keeps its claims in claims.txt beside it, and refuses what exclusion.txt beside it names (build_exclusion.py).
Only claim a server you have chosen by its topic and are about to copy; release it if you end up not copying it.
"""
import fcntl, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXCLUSION = os.path.join(HERE, 'exclusion.txt')
CLAIMS = os.path.join(HERE, 'claims.txt')


def norm(name):
    name = name.strip()
    if name.startswith('https://github.com/'):
        name = 'github:' + name[len('https://github.com/'):]
    if name.startswith('github:'):
        return 'github:' + name[7:].split('@')[0].rstrip('/').removesuffix('.git').lower()
    for registry in ('npm:', 'pypi:'):
        if name.startswith(registry):
            rest = name[len(registry):]
            at = rest.find('@', 1)
            return registry + (rest if at < 0 else rest[:at]).split('==')[0].lower()
    raise SystemExit('Name a server as github:owner/name, npm:package-name or pypi:package-name.')


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    verb, args = sys.argv[1], sys.argv[2:]
    with open(CLAIMS, 'a+') as claims:
        fcntl.flock(claims, fcntl.LOCK_EX)
        claims.seek(0)
        rows = [line.rstrip('\n').split('\t') for line in claims if line.strip()]
        if verb == 'mine':
            for row in rows:
                if row[1] == args[0]:
                    print(row[0])
            return
        if len(args) != 2:
            raise SystemExit(__doc__)
        name, who = norm(args[0]), args[1]
        held = {row[0]: row[1] for row in rows}
        if verb == 'claim':
            with open(EXCLUSION) as f:
                if name in {line.strip() for line in f}:
                    print(f'REFUSED {name}: already used by an earlier corpus')
                    return
            if name in held:
                print(f'REFUSED {name}: claimed by {held[name]}' if held[name] != who else f'CLAIMED {name} (already yours)')
                return
            claims.write(f'{name}\t{who}\n')
            print(f'CLAIMED {name}')
        elif verb == 'release':
            if held.get(name) != who:
                raise SystemExit(f'{name} is not claimed by {who}.')
            keep = [row for row in rows if row[0] != name]
            claims.seek(0)
            claims.truncate()
            claims.writelines(f'{row[0]}\t{row[1]}\n' for row in keep)
            print(f'RELEASED {name}')
        else:
            raise SystemExit(__doc__)


main()
