package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.chat.Names;
import org.junit.jupiter.api.Test;

/** Names for new accounts from what a provider says: always valid user names, unique by suffix. */
class UsernameSuggestionsTest {
  @Test
  void thePreferredUsernameComesFirstThenTheEmailThenTheName() {
    assertThat(UsernameSuggestions.base("ada.l", "ada@example.org", "Ada Lovelace")).isEqualTo("ada.l");
    assertThat(UsernameSuggestions.base(null, "ada@example.org", "Ada Lovelace")).isEqualTo("ada");
    assertThat(UsernameSuggestions.base("  ", null, "Ada Lovelace")).isEqualTo("Ada Lovelace");
    assertThat(UsernameSuggestions.base(null, null, null)).isEqualTo("user");
  }

  @Test
  void whatNamesMayNotHoldIsReplacedAndLongNamesAreCut() {
    assertThat(UsernameSuggestions.base("ada@corp/x", null, null)).isEqualTo("ada-corp-x");
    assertThat(UsernameSuggestions.base("<script>", null, null)).isEqualTo("-script-");
    assertThat(UsernameSuggestions.base("a   b", null, null)).isEqualTo("a b");
    assertThat(UsernameSuggestions.base("x".repeat(100), null, null)).hasSize(UsernameSuggestions.MAX_BASE);
    assertThat(UsernameSuggestions.base("\uD83D\uDE00\uD83D\uDE00", "zoë@example.org", null)).as("no letter left")
        .isEqualTo("zoë");
    assertThat(UsernameSuggestions.base("line\nbreak", null, null)).isEqualTo("line-break");
  }

  @Test
  void everyCandidateIsAValidNameAndTheyDiffer() {
    String base = UsernameSuggestions.base("y".repeat(40), null, null);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int attempt = 0; attempt < 20; attempt++) {
      String candidate = UsernameSuggestions.candidate(base, attempt);
      assertThat(Names.validUser(candidate)).as(candidate).isTrue();
      seen.add(candidate);
    }
    assertThat(seen).hasSizeGreaterThanOrEqualTo(19);
    assertThat(UsernameSuggestions.candidate("grace", 1)).isEqualTo("grace-2");
  }
}
