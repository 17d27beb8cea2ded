import type { FalconerConfig } from '@falconer/config';
import { verifySignedOnce, type ReplayGuard } from '@falconer/util';

export { SIGNATURE_HEADER, signBody } from '@falconer/util';

/** The reason a remediation report's signature is refused, or undefined when it is valid. */
export function signatureProblem(
  guard: ReplayGuard,
  secret: string,
  header: string | undefined,
  body: Buffer,
): string | undefined {
  const result = verifySignedOnce(guard, secret, header, body);
  return result.ok ? undefined : result.reason;
}

/** The shared secret of the remediator's reports (`remediation.secret`, env `REMEDIATION_SECRET`); empty = only an operator (session or Basic) may post unsigned reports. */
export function remediationSecret(config: FalconerConfig): string {
  return config.remediation.secret;
}
