// Stored secrets: what protects the upstream tokens and client secrets Gatehouse keeps — the OS
// keychain, or (weaker, said plainly) a key file in the data folder.
import { SECRET_PROTECTION_TEXT } from '@core/text.js';
import { useSettings } from '../../app/stores-context.js';

export function SecretProtection() {
  const protection = useSettings((state) => state.status?.secretProtection);
  const dataDir = useSettings((state) => state.status?.dataDir);
  if (!protection) return null;
  const weaker = protection !== 'os-keychain';
  return (
    <section className="panel" aria-labelledby="secrets-title">
      <h2 id="secrets-title">Stored secrets</h2>
      <p className={weaker ? 'notice notice-warn' : 'muted'} role={weaker ? 'note' : undefined}>
        {SECRET_PROTECTION_TEXT[protection]}
        {weaker && dataDir ? ` Data folder: ${dataDir}` : ''}
      </p>
      {weaker ? (
        <p className="muted">
          The Gatehouse app uses the OS keychain whenever one answers; on Linux that takes a Secret Service
          (GNOME Keyring, KeePassXC) or KWallet, running and unlocked, then a restart of the app.{' '}
          <code>gatehouse serve</code> always uses the key file.
        </p>
      ) : null}
    </section>
  );
}
