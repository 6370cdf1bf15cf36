// How a client's redirect URI is shown to the user: its host (127.0.0.1:53682, vscode.dev), or for a
// private scheme with no host, the scheme (myapp://). The consent screen and the clients list agree.

export function redirectHost(uri: string): string {
  try {
    const url = new URL(uri);
    return url.host || `${url.protocol}//`;
  } catch {
    return uri;
  }
}
