// A small status label. Tone carries the meaning; the text always says it too (never colour alone).
import type { ReactNode } from 'react';

export type BadgeTone = 'ok' | 'warn' | 'error' | 'info' | 'neutral';

export function Badge({
  tone = 'neutral',
  children,
  title,
  className,
}: {
  tone?: BadgeTone;
  className?: string;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge badge-${tone}${className ? ` ${className}` : ''}`} title={title}>
      {children}
    </span>
  );
}
