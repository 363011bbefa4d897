/**
 * Whether the host still knows this browser. The board holds no token: it signs in through a one-time
 * login link that sets an HttpOnly cookie, so any 401 means that cookie is missing, expired or revoked.
 */
export class Session {
  signedOut = $state(false);
}
