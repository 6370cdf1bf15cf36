// A spinner line on stderr while a command waits on long work (testing a connector, writing a client's
// config, importing servers) — only when stderr is a terminal, so pipes, logs and tests see nothing
// but the result. The line is cleared before anything else is printed.

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;
/** Carriage return, then erase to the end of the line (ECMA-48 EL). */
const CLEAR_LINE = '\r\x1b[K';

/**
 * Runs `work` with `label` (e.g. "Testing everything") spinning on stderr when `terminal` is true;
 * resolves or rejects as `work` does, with the spinner line gone.
 */
export async function withProgress<T>(
  terminal: boolean,
  write: (text: string) => void,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!terminal) return work();
  let frame = 0;
  const draw = () => write(`${CLEAR_LINE}${FRAMES[frame++ % FRAMES.length]} ${label}…`);
  draw();
  const timer = setInterval(draw, FRAME_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    write(CLEAR_LINE);
  }
}
