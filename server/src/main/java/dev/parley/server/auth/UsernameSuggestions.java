package dev.parley.server.auth;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names for accounts made by an OpenID Connect sign-in: from what the provider says of the person,
 * cut to the rules of user names, then made unique by the caller trying {@link #candidate}s in
 * turn (the store refuses a name any user has in any case).
 */
final class UsernameSuggestions {
  /** Room for a suffix within the 32 characters of a name. */
  static final int MAX_BASE = 24;
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^\\p{L}\\p{N}_.\\- ]+");
  private static final Pattern SPACES = Pattern.compile(" {2,}");
  private static final Pattern LETTER_OR_DIGIT = Pattern.compile("[\\p{L}\\p{N}]");
  private static final SecureRandom RANDOM = new SecureRandom();

  private UsernameSuggestions() {}

  /**
   * The first usable of the preferred username, the email's local part and the name (one with a
   * letter or digit once cut to the rules); else "user".
   */
  static String base(String preferredUsername, String email, String name) {
    String local = email == null ? null : email.split("@", 2)[0];
    for (String raw : new String[] {preferredUsername, local, name}) {
      String clean = clean(raw);
      if (!clean.isEmpty()) {
        return clean;
      }
    }
    return "user";
  }

  /** The name to try on attempt {@code n} (from 0): the base, then numbered, then random. */
  static String candidate(String base, int attempt) {
    if (attempt == 0) {
      return base;
    }
    String suffix = attempt < 10 ? Integer.toString(attempt + 1)
        : String.format(Locale.ROOT, "%06d", RANDOM.nextInt(1_000_000));
    return base + "-" + suffix;
  }

  private static String clean(String raw) {
    if (raw == null) {
      return "";
    }
    String s = NOT_ALLOWED.matcher(raw.strip()).replaceAll("-");
    s = SPACES.matcher(s).replaceAll(" ").strip();
    if (s.length() > MAX_BASE) {
      int end = Character.isHighSurrogate(s.charAt(MAX_BASE - 1)) ? MAX_BASE - 1 : MAX_BASE;
      s = s.substring(0, end).strip();
    }
    // Nothing but dashes and dots says nothing of the person: try the next source.
    return AccountRules.validName(s) && LETTER_OR_DIGIT.matcher(s).find() ? s : "";
  }
}
