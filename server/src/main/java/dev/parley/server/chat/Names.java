package dev.parley.server.chat;

import java.util.regex.Pattern;

/** The rules for user and room names. */
public final class Names {
  private static final Pattern USER = Pattern.compile("[\\p{L}\\p{N}_.\\-]([\\p{L}\\p{N}_.\\- ]{0,30}[\\p{L}\\p{N}_.\\-])?");
  private static final Pattern ROOM = Pattern.compile("[\\p{L}\\p{N}_.\\-]([\\p{L}\\p{N}_.\\- ]{0,38}[\\p{L}\\p{N}_.\\-])?");

  private Names() {}

  /** Whether {@code name} may name a user: 1-32 letters, digits, spaces, '_', '.' or '-', no space at either end. */
  public static boolean validUser(String name) {
    return name != null && USER.matcher(name).matches();
  }

  static boolean validRoom(String name) {
    return name != null && ROOM.matcher(name).matches();
  }
}
