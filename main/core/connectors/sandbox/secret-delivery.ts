// Which of a stdio connector's environment values are secrets, and how its server gets each: a
// stand-in its network gate fills in on the way out (masked) where the hosts it may reach are listed,
// else the value itself, with the reason. The sandbox applies it at each start; the connector's view
// shows it.
import { SEALED_ARGUMENT_PREFIX, sandboxOf, type StdioSettings } from '../../api/connector-config.js';
import { isSensitiveKey } from '../../secrets/secret-names.js';

/** Which of a connector's secret values its server gets as stand-ins, and which plainly and why. */
export interface SecretDelivery {
  masked: string[];
  plain: Array<{ name: string; why: string }>;
}

/** Database and other non-HTTP connection strings: the proxy cannot put a value back into them. */
const NON_HTTP_URL =
  /^(postgres(ql)?|mysql|mariadb|mongodb(\+srv)?|redis(s)?|amqps?|mssql|sqlserver|clickhouse|nats|kafka):\/\//i;
const DATABASE_NAMES = /^(PG|MYSQL_|MARIADB_|MONGO|REDIS|DATABASE_|DB_)/;

/**
 * Which of a connector's environment values are secrets, and how its server gets each: a stand-in
 * (masked) where its hosts are listed, else plainly with the reason.
 */
export function secretDelivery(settings: StdioSettings): SecretDelivery {
  const sandbox = sandboxOf(settings);
  const masked: string[] = [];
  const plain: SecretDelivery['plain'] = [];
  for (const [name, value] of Object.entries(settings.env)) {
    const secret =
      isSensitiveKey(name) ||
      name.startsWith(SEALED_ARGUMENT_PREFIX) ||
      sandbox.secretVariables.includes(name);
    if (!secret) continue;
    if (sandbox.plainSecrets.includes(name)) plain.push({ name, why: 'by your choice' });
    else if (!sandbox.enabled) plain.push({ name, why: 'it runs without a sandbox' });
    else if (sandbox.allowedDomains === null) {
      plain.push({ name, why: 'it may reach any host, so the sandbox cannot tell its own hosts apart' });
    } else if (NON_HTTP_URL.test(value) || DATABASE_NAMES.test(name)) {
      plain.push({ name, why: 'it is used over a database protocol, which the proxy cannot fill in' });
    } else masked.push(name);
  }
  return { masked, plain };
}
