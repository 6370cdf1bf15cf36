// Secret shapes (secret-shapes.ts), keys: private keys (PEM, OpenSSH, PuTTY, bare DER) and cloud
// credentials (an AWS access key with its secret, a secret access key by its name, Azure keys and
// shared access signatures).
import type { SecretKind } from '../api/secret-findings.js';
import {
  endsToken,
  exampleIf,
  isAlnum,
  isBase64Char,
  looksLikeExample,
  matchAt,
  segmentAround,
  type ShapeRule,
  startsToken,
} from './shape-basics.js';

// ---- Private keys --------------------------------------------------------------------------------

/**
 * A key's base64 body: base64, white space, the escapes a key takes inside JSON text (`\n`, `\\n`),
 * and the header lines of encrypted PEM and PuTTY files. Never "\0" (another string).
 */
const KEY_BODY =
  /(?:[A-Za-z0-9+/=\t \r\n]|\\+[nrt]|(?:Proc-Type|DEK-Info|Comment|Version|Hash|Encryption|Key-Derivation|Argon2-[A-Za-z]+):[^\n\\\0]{0,200})*/y;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
/** An END line a little further on, after an elided body ("MIIEvQ...\n-----END"). */
const PEM_END_AHEAD = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
/** Base64 characters a real key's body has at least. */
const MIN_KEY_CHARS = 40;

/** How many base64 characters a key body holds (white space, escapes and header lines left out). */
function keyChars(body: string): number {
  return body.replace(/\\+[nrt]|[A-Za-z0-9-]+:[^\n\\]*|[\s=]/g, '').length;
}

/** Whether a service account's JSON is near: the PEM key is then a Google Cloud service-account key. */
function inServiceAccount(text: string, at: number): boolean {
  const { from, to } = segmentAround(text, at, 4_000);
  return text.slice(from, to).includes('service_account');
}

const pemKey: ShapeRule = {
  trigger: '-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----',
  confirm(text, at, triggerEnd, found) {
    const body = matchAt(KEY_BODY, text, triggerEnd)![0];
    const bodyEnd = triggerEnd + body.length;
    const real = keyChars(body) >= MIN_KEY_CHARS;
    const header = text.slice(at, triggerEnd);
    let kind: SecretKind = header.includes('OPENSSH') ? 'private-key-openssh' : 'private-key-pem';
    if (real && kind === 'private-key-pem' && inServiceAccount(text, at)) kind = 'gcp-service-account';
    const end = matchAt(PEM_END, text, bodyEnd);
    if (end) {
      found.push({ kind, start: at, end: bodyEnd + end[0].length, ...exampleIf(!real) });
      return bodyEnd + end[0].length;
    }
    // An END line just after something that is not a body: an elided example ("MIIEvQ...").
    const { to } = segmentAround(text, bodyEnd, 400);
    const ahead = PEM_END_AHEAD.exec(text.slice(bodyEnd, to));
    if (ahead) {
      const stop = bodyEnd + ahead.index + ahead[0].length;
      found.push({ kind, start: at, end: stop, example: true });
      return stop;
    }
    // Cut off: a partial key is still one.
    found.push({ kind, start: at, end: bodyEnd, ...exampleIf(!real) });
    return bodyEnd;
  },
};

/** A key's base64 without its armor: an OpenSSH key ("openssh-key-v1"), a DER RSA or EC key. */
const bareKey: ShapeRule = {
  trigger:
    '3BlbnNzaC1rZXktdjE(?<=b3BlbnNzaC1rZXktdjE)|MII[A-Za-z0-9+/]{3}IBA(?:AK|DAN)|MHcCAQEE|MIGHAgEAMBMGByqGSM49',
  confirm(text, anchor, _triggerEnd, found) {
    const at = text[anchor] === '3' ? anchor - 1 : anchor;
    if (!startsToken(text, at, isBase64Char)) return undefined;
    const body = matchAt(KEY_BODY, text, at)![0];
    if (keyChars(body) < 100) return undefined;
    const kind = text.startsWith('b3Blbn', at) ? 'private-key-openssh' : 'private-key-pem';
    found.push({ kind, start: at, end: at + body.length });
    return at + body.length;
  },
};

const PUTTY_PRIVATE = /Private-Lines: *[0-9]+/;
const PUTTY_MAC = /(?:\s|\\+[nr])*Private-MAC: *[0-9a-fA-F]+/y;

const puttyKey: ShapeRule = {
  trigger: 'PuTTY-User-Key-File-[0-9]+:',
  confirm(text, at, _triggerEnd, found) {
    const { to } = segmentAround(text, at, 8_000);
    const lines = PUTTY_PRIVATE.exec(text.slice(at, to));
    if (!lines) return undefined;
    const bodyStart = at + lines.index + lines[0].length;
    const body = matchAt(KEY_BODY, text, bodyStart)![0];
    let end = bodyStart + body.length;
    const mac = matchAt(PUTTY_MAC, text, end);
    if (mac) end += mac[0].length;
    found.push({ kind: 'private-key-putty', start: at, end, ...exampleIf(keyChars(body) < MIN_KEY_CHARS) });
    return end;
  },
};

// ---- Cloud credentials ---------------------------------------------------------------------------

/**
 * An AWS secret access key: 40 base64 characters, alone (tried only where a run of them starts, so a
 * window of other runs is read once).
 */
const AWS_SECRET = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;
const AWS_SECRET_HERE = /[A-Za-z0-9+/]{40}/y;

function awsSecretAt(text: string, index: number): boolean {
  return (
    startsToken(text, index, isBase64Char) &&
    endsToken(text, index + 40, (code) => isBase64Char(code) || code === 61)
  );
}

/** An AWS access key id, and its secret near it: both are the credentials. The id alone is redacted. */
const awsKeyId: ShapeRule = {
  trigger: 'KIA(?<=AKIA)[A-Z0-9]{16}|SIA(?<=ASIA)[A-Z0-9]{16}',
  confirm(text, anchor, triggerEnd, found) {
    const at = anchor - 1;
    if (!startsToken(text, at, isAlnum) || !endsToken(text, triggerEnd, isAlnum)) return undefined;
    const id = text.slice(at, triggerEnd);
    const { from, to } = segmentAround(text, at, 600);
    // Read in the window only: a run of key ids with no secret stays linear.
    for (const m of text.slice(from, to).matchAll(AWS_SECRET)) {
      const index = from + m.index;
      // Upper and lower case: a random secret has both (one in a thousand has no digit).
      if (!awsSecretAt(text, index) || !/[A-Z]/.test(m[0]) || !/[a-z]/.test(m[0])) continue;
      const example = looksLikeExample(id) || looksLikeExample(m[0]);
      found.push({ kind: 'aws-credentials', start: at, end: triggerEnd, ...exampleIf(example) });
      found.push({ kind: 'aws-credentials', start: index, end: index + 40, ...exampleIf(example) });
      return triggerEnd;
    }
    found.push({ kind: null, start: at, end: triggerEnd });
    return triggerEnd;
  },
};

const NAMED_VALUE = /["']?[ \t]*[:=][ \t]*["']?/y;

/** `aws_secret_access_key = …`, `"SecretAccessKey": "…"`: a secret access key by its name. */
const awsNamedSecret: ShapeRule = {
  trigger:
    '[Kk]ey(?<=[Ss]ecret_?[Aa]ccess_?[Kk]ey|[Aa][Ww][Ss]_?[Ss]ecret_?[Kk]ey)|Y(?<=SECRET_ACCESS_KEY|AWS_SECRET_KEY)',
  confirm(text, at, triggerEnd, found) {
    const separator = matchAt(NAMED_VALUE, text, triggerEnd);
    if (!separator) return undefined;
    const start = triggerEnd + separator[0].length;
    const value = matchAt(AWS_SECRET_HERE, text, start);
    if (!value || !awsSecretAt(text, start) || !/[A-Z]/.test(value[0]) || !/[a-z]/.test(value[0]))
      return undefined;
    found.push({ kind: 'aws-credentials', start, end: start + 40, ...exampleIf(looksLikeExample(value[0])) });
    return start + 40;
  },
};

const AZURE_KEY = /[A-Za-z0-9+/]{20,}={0,2}/y;
const AZURE_SIGNATURE = /sig=([A-Za-z0-9%+/=]{20,})/;
const SAS_FIELDS = /[?&;]s[vre]=/;

/** Azure: a storage or Service Bus key in a connection string, a shared access signature. */
const azureKey: ShapeRule = {
  trigger: '=(?<=(?:AccountKey|SharedAccessKey|SharedSecretValue|[?&;]sig)=)|SharedAccessSignature[= ]',
  confirm(text, at, triggerEnd, found) {
    const { from, to } = segmentAround(text, at, 600);
    const signature = text[at] === 'S';
    if (!signature && !text.startsWith('sig', at - 3)) {
      const key = matchAt(AZURE_KEY, text, triggerEnd);
      if (!key || !endsToken(text, triggerEnd + key[0].length, isBase64Char)) return undefined;
      const end = triggerEnd + key[0].length;
      const example = looksLikeExample(key[0]) || text.slice(from, to).includes('devstoreaccount1');
      found.push({ kind: 'azure-connection-string', start: triggerEnd, end, ...exampleIf(example) });
      return end;
    }
    // A signature: in a SharedAccessSignature, or in a query that has the other SAS fields.
    if (!signature && !SAS_FIELDS.test(text.slice(from, to))) return undefined;
    const after = signature ? triggerEnd : at - 3;
    const found_ = AZURE_SIGNATURE.exec(text.slice(after, to));
    if (!found_) return undefined;
    const start = after + found_.index + 4;
    const end = start + found_[1]!.length;
    found.push({
      kind: 'azure-connection-string',
      start,
      end,
      ...exampleIf(looksLikeExample(found_[1]!)),
    });
    return end;
  },
};

/** The key rules a call is held for, in the order the pass tries them. */
export const KEY_RULES: ShapeRule[] = [pemKey, puttyKey, bareKey, awsKeyId, awsNamedSecret, azureKey];
