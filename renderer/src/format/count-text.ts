// Counted nouns: "1 token", "3 tokens", "1 session closed".

export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? noun : plural}`;
}
