// Where a user's secrets live, relative to the home folder: one list for every defence that needs
// to know (the connector sandbox keeps servers out of them, first sight notices a definition that
// asks for them, the workspace check refuses a folder that holds one).

/**
 * The user's secrets, relative to the home folder: credentials, keys, password managers and
 * keychains, browser profiles and shell histories. A sandboxed server can read none of them, whether
 * they exist yet or not.
 */
export const SECRET_PATHS: readonly string[] = [
  // Keys and cloud / cluster / registry credentials
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.config/gcloud',
  '.kube',
  '.docker/config.json',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.config/git/credentials',
  '.config/gh',
  '.cargo/credentials.toml',
  '.gem/credentials',
  '.terraform.d/credentials.tfrc.json',
  // Password managers and keychains
  '.password-store',
  '.local/share/keyrings',
  '.local/share/kwalletd',
  '.pki',
  '.config/1Password',
  '.config/op',
  '.config/Bitwarden',
  '.config/keepassxc',
  'Library/Keychains',
  'Library/Group Containers/2BUA8C4S2C.com.1password',
  'Library/Application Support/1Password',
  'Library/Application Support/Bitwarden',
  // Browser profiles (cookies, saved passwords, sessions)
  '.config/google-chrome',
  '.config/chromium',
  '.config/microsoft-edge',
  '.config/BraveSoftware',
  '.mozilla',
  'snap/firefox',
  'snap/chromium',
  'Library/Application Support/Google/Chrome',
  'Library/Application Support/Chromium',
  'Library/Application Support/Microsoft Edge',
  'Library/Application Support/BraveSoftware',
  'Library/Application Support/Firefox',
  'Library/Safari',
  'Library/Cookies',
  // Shell and REPL histories
  '.bash_history',
  '.zsh_history',
  '.zhistory',
  '.history',
  '.sh_history',
  '.local/share/fish/fish_history',
  '.python_history',
  '.node_repl_history',
  '.psql_history',
  '.mysql_history',
  '.sqlite_history',
  '.lesshst',
];
