/** The wizards' question "Which OAuth flow will the app use?", shared by init's and create's. */
import type { Flow } from '../core/config/profile.js';
import type { Deps } from '../deps.js';

/** The flow, one line each (docs/flows.md). */
export function askFlow(prompter: Deps['prompter']): Promise<Flow> {
  return prompter.select<Flow>({
    message: 'Which OAuth flow will the app use?',
    choices: [
      { value: 'web-server', name: 'Web server (browser login, refresh token)', description: 'A person logs in once; Nango salesforce / salesforce-sandbox' },
      { value: 'client-credentials', name: 'Client credentials (server to server)', description: 'Consumer Key + Secret at the My Domain; tokens for the app\'s Run As user' },
      { value: 'jwt-bearer', name: 'JWT bearer (server to server, certificate)', description: 'A private key signs a JWT for a pre-authorized user; no secret on the wire' },
    ],
    default: 'web-server',
  });
}
