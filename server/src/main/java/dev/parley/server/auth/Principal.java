package dev.parley.server.auth;

import java.util.Optional;

/**
 * Who a request or a connection acts for, as proven by one credential.
 *
 * @param userId the account's user id
 * @param name the account's name
 * @param role the account's role when the credential was checked
 * @param via which kind of credential proved it
 * @param credentialId the id of that credential: the web session's id for {@link Via#SESSION}
 *     and {@link Via#ACCESS_TOKEN} (an access token belongs to the session it was issued for),
 *     the personal access token's id for {@link Via#PERSONAL_TOKEN}. {@link AuthEvents} names
 *     revoked credentials by the same ids.
 */
public record Principal(long userId, String name, Role role, Via via, String credentialId) {
  /** The kinds of credential. */
  public enum Via {
    /** The {@code parley_session} cookie of a browser. */
    SESSION,
    /** A short-lived signed access token (JWT) issued for a web session. */
    ACCESS_TOKEN,
    /** A personal access token, for bots and scripts. */
    PERSONAL_TOKEN
  }

  /** The web session behind the credential, unless it is a personal access token. */
  public Optional<String> sessionId() {
    return via == Via.PERSONAL_TOKEN ? Optional.empty() : Optional.of(credentialId);
  }
}
