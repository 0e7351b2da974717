/** The checks `sfoauth test` runs, in report order. `doctor` reuses them for its token group. */
import type { Check } from '../checks/check.js';
import type { VerifyContext } from './context.js';
import { configCheck } from './checks/config.js';
import { loginHostCheck } from './checks/login-host.js';
import { refreshCheck } from './checks/refresh.js';
import { signatureCheck } from './checks/signature.js';
import { userinfoCheck } from './checks/userinfo.js';
import { restApiCheck } from './checks/rest-api.js';
import { introspectionCheck } from './checks/introspection.js';
import { organizationCheck } from './checks/organization.js';
import { pkceCheck } from './checks/pkce.js';
import { refreshPostureCheck } from './checks/refresh-posture.js';
import { environmentCheck } from './checks/environment.js';

export const VERIFY_CHECKS: readonly Check<VerifyContext>[] = [
  configCheck,
  loginHostCheck,
  refreshCheck,
  signatureCheck,
  userinfoCheck,
  restApiCheck,
  introspectionCheck,
  organizationCheck,
  environmentCheck,
  pkceCheck,
  refreshPostureCheck,
];
