// One server from the registry: what it is, its version (older ones on request), its status with the
// publisher's reason, its repository and website, and the ways it can run here — each with the
// command or URL it becomes, or why this machine cannot use it — then the form for the chosen way.
import { useEffect, useId, useRef, useState } from 'react';
import type { CatalogServerDetail } from '@core/api/catalog-contract.js';
import { useStores } from '../../app/stores-context.js';
import { RadioOption } from '../../components/radio-option.js';
import { WrappingName } from '../../components/wrapping-name.js';
import type { CatalogAddResult } from '../../stores/catalog-store.js';
import { CatalogAddForm } from './catalog-add-form.js';
import { CatalogRunReview } from './catalog-run-review.js';
import { CatalogStatusBadge } from './catalog-status-badge.js';
import { ExternalLink } from './external-link.js';

/** The registry's RFC 3339 time as a local date; as sent when it is not one. */
function dateText(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleDateString();
}

function VersionPicker({ server }: { server: CatalogServerDetail }) {
  const { catalog } = useStores();
  const id = useId();
  if (server.versions.length < 2) return <>{server.version}</>;
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        Version
      </label>
      <select
        id={id}
        value={server.version}
        onChange={(event) => void catalog.getState().open(server.name, event.target.value)}
      >
        {server.versions.map((version) => (
          <option key={version.version} value={version.version}>
            {version.version}
            {version.isLatest ? ' (latest)' : ''}
            {version.status !== 'active' ? ` — ${version.status}` : ''}
          </option>
        ))}
      </select>
    </>
  );
}

export function CatalogServerDetails({
  server,
  onAdded,
}: {
  server: CatalogServerDetail;
  onAdded: (result: CatalogAddResult) => void;
}) {
  const usable = server.options.find((option) => option.problem === null);
  const [chosenId, setChosenId] = useState<string | null>(usable?.id ?? null);
  const chosen = server.options.find((option) => option.id === chosenId && option.problem === null) ?? null;
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // The result the user opened is gone: focus moves to the server, so keyboard users continue here.
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return (
    <section className="catalog-server" aria-labelledby={headingId}>
      <div className="catalog-server-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          <WrappingName name={server.title ?? server.name} />
        </h3>
        <CatalogStatusBadge status={server.status} />
      </div>
      <p>{server.description}</p>
      <dl className="facts">
        <dt>Name</dt>
        <dd className="mono">
          <WrappingName name={server.name} />
        </dd>
        <dt>Publisher</dt>
        <dd>{server.publisher}</dd>
        <dt>Version</dt>
        <dd>
          <VersionPicker server={server} />
          {server.isLatest ? null : <span className="muted"> (not the latest)</span>}
        </dd>
        <dt>Repository</dt>
        <dd className="wrap">
          {server.repositoryUrl ? (
            <ExternalLink href={server.repositoryUrl}>{server.repositoryUrl}</ExternalLink>
          ) : (
            '—'
          )}
        </dd>
        {server.websiteUrl ? (
          <>
            <dt>Website</dt>
            <dd className="wrap">
              <ExternalLink href={server.websiteUrl}>{server.websiteUrl}</ExternalLink>
            </dd>
          </>
        ) : null}
        {server.publishedAt ? (
          <>
            <dt>Published</dt>
            <dd>{dateText(server.publishedAt)}</dd>
          </>
        ) : null}
      </dl>
      <p className="muted catalog-trust">
        Only add servers you trust: anyone can publish to a registry, and a server runs with your rights.
      </p>
      {server.addedAs.length > 0 ? (
        <p className="notice catalog-added">
          Already added as {server.addedAs.join(', ')}. Adding it again makes another connector for the same
          server.
        </p>
      ) : null}
      {server.status === 'deprecated' ? (
        <p className="notice notice-warn">
          Its publisher deprecated this server{server.statusMessage ? `: ${server.statusMessage}` : '.'} You
          can still add it.
        </p>
      ) : null}
      {server.status === 'deleted' ? (
        <p className="notice notice-error">
          The registry deleted this server{server.statusMessage ? ` (${server.statusMessage})` : ''}.
          Gatehouse will not add it.
        </p>
      ) : null}
      {server.status !== 'deleted' ? (
        <>
          <fieldset className="choice-group catalog-options">
            <legend>How to run it</legend>
            {server.options.length === 0 ? (
              <p className="muted">It lists no package and no remote server, so there is nothing to run.</p>
            ) : null}
            {server.options.map((option) =>
              option.problem === null ? (
                <RadioOption
                  key={option.id}
                  name={`${headingId}-option`}
                  checked={chosen?.id === option.id}
                  onSelect={() => setChosenId(option.id)}
                >
                  <span>
                    {option.label}
                    <code className="catalog-preview">{option.preview}</code>
                  </span>
                </RadioOption>
              ) : (
                <div key={option.id} className="catalog-option-unusable">
                  <span>{option.label}</span>
                  <span className="field-error">{option.problem}</span>
                </div>
              ),
            )}
          </fieldset>
          {chosen ? <CatalogRunReview option={chosen} /> : null}
          {chosen ? (
            <CatalogAddForm
              key={`${server.version}/${chosen.id}`}
              server={server}
              option={chosen}
              onAdded={onAdded}
            />
          ) : server.options.length > 0 ? (
            <p className="notice notice-warn">
              None of its ways to run can be used on this machine; see why above.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
