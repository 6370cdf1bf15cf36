// Which of Gatehouse's environment variables carry credentials, so a local server's launch leaves
// them out.

/**
 * Inherited environment variables that carry credentials: a sandboxed server does not get them from
 * Gatehouse's environment (one the connector sets itself, it gets).
 */
export const SECRET_VARIABLES =
  /^(AWS_|AZURE_|ARM_CLIENT_SECRET$|GOOGLE_APPLICATION_CREDENTIALS$|CLOUDSDK_|GH_TOKEN$|GITHUB_TOKEN$|GITLAB_TOKEN$|NPM_TOKEN$|NODE_AUTH_TOKEN$|OP_|BW_SESSION$|VAULT_TOKEN$|SSH_AUTH_SOCK$|GPG_AGENT_INFO$|DOCKER_AUTH_CONFIG$|KUBECONFIG$|OPENAI_API_KEY$|ANTHROPIC_API_KEY$)/;
