// A small status label. Tone carries the meaning; the text always says it too (never colour alone).
import type { ReactNode } from 'react';

export type BadgeTone = 'ok' | 'warn' | 'error' | 'info' | 'neutral';

export function Badge({
  tone = 'neutral',
  children,
  title,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
