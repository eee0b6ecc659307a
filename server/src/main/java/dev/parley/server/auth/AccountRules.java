package dev.parley.server.auth;

import dev.parley.server.chat.Names;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a username, password, display name and email address must be. Each check throws
 * {@link AuthException} with {@code invalid_argument} and a message that says the rule.
 */
final class AccountRules {
  static final int MAX_DISPLAY_NAME = 64;
  static final int MAX_EMAIL = 254;
  static final int MAX_USER_AGENT = 256;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  private AccountRules() {}

  /** Whether a user could have this name. */
  static boolean validName(String name) {
    return Names.validUser(name);
  }

  static void checkName(String name) {
    if (!validName(name)) {
      throw AuthException.invalid(
          "a username is 1-32 letters, digits, spaces, '_', '.' or '-', not starting or ending with a space");
    }
  }

  /** 8-256 characters, and not the username in any case. */
  static void checkPassword(String password, String username) {
    if (password == null) {
      throw AuthException.invalid("give a password");
    }
    int length = password.codePointCount(0, password.length());
    int min = AccountService.MIN_PASSWORD_LENGTH;
    int max = AccountService.MAX_PASSWORD_LENGTH;
    if (length < min || length > max) {
      throw AuthException.invalid("a password is " + min + "-" + max + " characters");
    }
    if (username != null && Passwords.normalize(password).strip().toLowerCase(Locale.ROOT)
        .equals(username.strip().toLowerCase(Locale.ROOT))) {
      throw AuthException.invalid("the password must not be the username");
    }
  }

  static void checkDisplayName(String displayName) {
    if (displayName.length() > MAX_DISPLAY_NAME || hasControl(displayName)) {
      throw AuthException.invalid("a display name is 1-" + MAX_DISPLAY_NAME + " characters, without control characters");
    }
  }

  static void checkEmail(String email) {
    if (email.length() > MAX_EMAIL || hasControl(email) || !EMAIL.matcher(email).matches()) {
      throw AuthException.invalid("the email address is not valid");
    }
  }

  /** Whether the text has a control character (NUL, line breaks, …) or half a surrogate pair. */
  static boolean hasControl(String s) {
    return s.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL
        || Character.getType(c) == Character.SURROGATE);
  }

  static String shortenUserAgent(String userAgent) {
    if (userAgent == null) {
      return "";
    }
    String clean = userAgent.codePoints().filter(c -> Character.getType(c) != Character.CONTROL)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    if (clean.length() <= MAX_USER_AGENT) {
      return clean;
    }
    // Never half a surrogate pair.
    int end = Character.isHighSurrogate(clean.charAt(MAX_USER_AGENT - 1)) ? MAX_USER_AGENT - 1 : MAX_USER_AGENT;
    return clean.substring(0, end);
  }
}
