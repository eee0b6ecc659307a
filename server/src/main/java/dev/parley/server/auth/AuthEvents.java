package dev.parley.server.auth;

/**
 * What {@link AccountService} tells the rest of the node when credentials stop being valid, so
 * that connections authenticated by them can be closed. Called on a store thread after the
 * change is committed; implementations must not block. Every method defaults to doing nothing.
 */
public interface AuthEvents {
  /**
   * A web session ended: signed out, revoked by a password change, or revoked because one of
   * its refresh tokens was used twice. Connections whose {@link Principal#credentialId()} is
   * {@code sessionId} (cookie or access token) must close.
   */
  default void sessionRevoked(String sessionId) {}

  /**
   * A personal access token was revoked. Connections whose {@link Principal#credentialId()} is
   * {@code tokenId} must close.
   */
  default void personalTokenRevoked(String tokenId) {}

  /** Every credential of the user is void (the account was deactivated): close all its connections. */
  default void userRevoked(long userId) {}
}
