// What the chosen way of running a server will run, before anything starts: where the code comes
// from, the full command line or URL, every environment value the entry fixes, each setting that
// changes how its runtime behaves, and each grant its entry asks of the sandbox, said in words. The engine has already made hidden characters
// visible; React shows the rest as text.
import type { CatalogOptionView } from '@core/api/catalog-contract.js';
import { GrantProposal } from '../../components/grant-proposal.js';

export function CatalogRunReview({ option }: { option: CatalogOptionView }) {
  return (
    <section className="catalog-run-review" aria-label="What it will run">
      <dl className="facts">
        <dt>From</dt>
        <dd className="wrap">{option.source}</dd>
        <dt>{option.runtime === null ? 'URL' : 'Command'}</dt>
        <dd>
          <code className="catalog-command">{option.preview}</code>
        </dd>
        {option.environment.length > 0 ? (
          <>
            <dt>Environment</dt>
            <dd>
              <ul className="catalog-environment">
                {option.environment.map((variable) => (
                  <li key={variable.name}>
                    {variable.value !== null ? (
                      <code>
                        {variable.name}={variable.value}
                      </code>
                    ) : (
                      <>
                        <code>{variable.name}</code>{' '}
                        <span className="muted">
                          {variable.secret ? '— a secret you give below' : '— you give it below'}
                        </span>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {option.grants.length > 0 ? (
        <div className="notice notice-warn catalog-grants" role="note">
          <p>
            <strong>It asks its sandbox to grant</strong> what its entry names (not you). It gets these only
            if you agree:
          </p>
          <ul>
            {option.grants.map((grant) => (
              <li key={`${grant.kind}:${grant.target}`}>
                <GrantProposal grant={grant} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {option.risks.length > 0 ? (
        <div className="notice notice-warn catalog-risks" role="note">
          <p>
            <strong>This changes how its runtime behaves.</strong> Add it only if you trust its publisher:
          </p>
          <ul>
            {option.risks.map((risk) => (
              <li key={risk.setting}>
                <code>{risk.setting}</code> — {risk.explanation}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
