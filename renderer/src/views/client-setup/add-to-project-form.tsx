// "Add to a project…": the Gatehouse entry in one project's file rather than the user's, for the
// clients that have one (Claude Code's .mcp.json, VS Code's and Cursor's per-folder mcp.json).
import { useId, useState, type FormEvent } from 'react';
import type { SetupClientView } from '@core/api/client-setup-contract.js';
import { CopyButton } from '../../components/copy-button.js';
import { exampleFolder, PROJECT_FILE, projectFolderProblem } from './project-folder.js';
import { TextField } from '../../components/text-field.js';

export function AddToProjectForm({
  client,
  busy,
  onSubmit,
  onCancel,
}: {
  client: SetupClientView;
  busy: boolean;
  onSubmit: (projectDir: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [folder, setFolder] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const example = exampleFolder(client.locations[0]?.path);
  const file = PROJECT_FILE[client.client] ?? 'the project’s MCP file';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = folder.trim();
    const found = projectFolderProblem(client.client, trimmed, example);
    setProblem(found);
    if (!found) onSubmit(trimmed);
  };
  return (
    <form
      className="project-form"
      onSubmit={submit}
      noValidate
      aria-label={`Add ${client.name} to a project`}
    >
      <TextField
        id={id}
        label="Project folder"
        error={problem ?? undefined}
        hint={
          <>
            Gatehouse writes its entry in <code>{file}</code> in that folder.
          </>
        }
        value={folder}
        onChange={(value) => {
          setFolder(value);
          setProblem(null);
        }}
        input={{ placeholder: example, autoFocus: true }}
      />
      {client.commands ? (
        <>
          <p className="hint">Or, in a terminal in that folder:</p>
          <div className="snippet">
            <pre>{client.commands.project}</pre>
            <CopyButton text={client.commands.project} label="Copy command" />
          </div>
        </>
      ) : null}
      <div className="button-row">
        <button type="submit" className="button primary small" disabled={busy}>
          {busy ? 'Adding…' : 'Add to project'}
        </button>
        <button type="button" className="button small" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
