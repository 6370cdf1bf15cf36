// What the last Connect or Undo did to a client's file: the file written, where the previous version
// was saved (so the user can always find it), and what to do next in the client.
import type { SetupClientName } from '@core/api/client-setup-contract.js';
import type { DisconnectResult, SetupWrite } from '../../stores/client-setup-store.js';

/** How each client notices a new entry (as the engine's connect message says it). */
const NEXT_STEP: Record<SetupClientName, string> = {
  'claude-desktop': 'Quit and reopen Claude Desktop to use it.',
  'claude-code': 'New Claude Code sessions will use it.',
  vscode: 'VS Code picks it up on its own; start the server from the MCP view if it asks.',
  cursor: 'Cursor picks it up on its own; enable it in Settings ▸ MCP if it asks.',
};

function undoneText(result: DisconnectResult): string {
  const parts: string[] = [];
  if (result.removed.length > 0) parts.push(`removed ${result.removed.join(', ')}`);
  if (result.restored.length > 0) parts.push(`put back ${result.restored.join(', ')} as it was`);
  const left = result.leftAlone.map((entry) => `${entry.name} (${entry.reason})`);
  return `Undone: ${parts.join('; ') || 'nothing left to change'}.${left.length > 0 ? ` Left alone: ${left.join(', ')}.` : ''}`;
}

export function SetupWriteResult({
  write,
  busy,
  onUndoProject,
}: {
  write: SetupWrite;
  busy: boolean;
  /** Undo for a project write (the card's own Undo is for the user's file). */
  onUndoProject: (projectDir: string) => void;
}) {
  const { target } = write;
  const connected = write.action === 'connect';
  const result = write.result;
  return (
    <div className={connected ? 'notice notice-ok setup-result' : 'notice setup-result'} role="status">
      {!result.changed ? (
        <p>{result.message}</p>
      ) : write.action === 'connect' ? (
        <p>
          <strong>Connected.</strong> {NEXT_STEP[result.client]} When it first connects, approve its request
          here.
        </p>
      ) : (
        <p>{undoneText(write.result)}</p>
      )}
      {result.changed ? (
        <dl className="facts">
          <dt>{connected ? 'File written' : 'File changed'}</dt>
          <dd>
            <code className="wrap">{result.path}</code>
            {result.created ? ' (new)' : ''}
          </dd>
          <dt>Backup</dt>
          <dd>
            {result.backupPath ? (
              <code className="wrap">{result.backupPath}</code>
            ) : connected ? (
              'none: there was no file before'
            ) : (
              // A complete Undo puts the file back as it was (or removes the one Gatehouse created):
              // there is nothing a backup would hold.
              'none needed: the file is back as it was before Gatehouse changed it'
            )}
          </dd>
        </dl>
      ) : null}
      {connected && target.scope === 'project' && result.changed ? (
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() => onUndoProject(target.projectDir)}
        >
          Undo in this project
        </button>
      ) : null}
    </div>
  );
}
