// An audit event's type as words: "tool.call" → "Tool call". The raw type stays in a title.

const EVENT_LABEL: Record<string, string> = {
  'tool.call': 'Tool call',
  'tool.held': 'Held for review',
  'tool.changed': 'Tool changed',
  'resource.read': 'Resource read',
  'prompt.get': 'Prompt used',
  'message.secrets': 'Secret in a server’s message',
  'authorization.denied': 'Authorization denied',
  'authorization.error': 'Authorization error',
  'engine.started': 'Gatehouse started',
  'setup.connected': 'Client set up',
  'setup.disconnected': 'Client setup undone',
  'setup.imported': 'Servers imported',
  'mcp.request_denied': 'MCP request refused',
  'http.request_refused': 'Request refused',
  'client.metadata_document_refused': 'Client metadata refused',
  'tool.change_accepted': 'Tool change accepted',
  'connector.add_failed': 'Connector not added',
  'client.registration_evicted': 'Unused registration forgotten',
};

export function eventLabel(type: string): string {
  const known = EVENT_LABEL[type];
  if (known) return known;
  // "consent.granted" → "Consent granted", "client.revoked" → "Client revoked".
  const words = type.replace(/[._-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : type;
}
