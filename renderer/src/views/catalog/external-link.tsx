// A link out of Gatehouse (a server's repository or website): opens in the user's browser, never in
// a Gatehouse window; the catalog only passes http(s) links here.
import type { ReactNode } from 'react';

export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}
