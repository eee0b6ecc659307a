package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence with a grace period (2 s here): a user whose last connection closes is announced
 * offline only if it has not come back by then, so a reload, a blip or a restart costs no
 * presence events; one that stays away is announced offline after the grace.
 */
@Timeout(60)
class PresenceIT {
  @TempDir
  Path dataDir;
  private Parley parley;
  private final List<ChatClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    parley = ParleyHarness.start(dataDir, "--presence-grace", "2");
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    parley.close();
  }

  private ChatClient connect(String name, String guestKey) {
    ChatClient client = ChatClient.chat(parley.port(), name, guestKey);
    clients.add(client);
    return client;
  }

  /** The next presence event {@code client} gets about someone else (it also hears of itself). */
  private static JSONObject nextPresence(ChatClient client) throws Exception {
    while (true) {
      JSONObject user = client.nextObject("presence").getJSONObject("user");
      if (!"ada".equals(user.getString("name"))) {
        return user;
      }
    }
  }

  @Test
  void aUserBackWithinTheGraceIsNeverAnnouncedOfflineOrOnlineAgain() throws Exception {
    ChatClient ada = connect("ada", null);
    ada.session();
    ChatClient bob = connect("bob", null);
    String bobKey = bob.session().getString("guestKey");
    assertThat(nextPresence(ada).getString("name")).isEqualTo("bob");
    ChatClient cy = connect("cy", null);
    cy.session();
    assertThat(nextPresence(ada).getString("name")).isEqualTo("cy");

    bob.close(); // a reload: the tab's connection closes, a new one opens
    ChatClient bobAgain = connect("bob", bobKey);
    bobAgain.session();
    // cy leaves for good after bob came back: its offline comes after bob's would have.
    cy.close();

    JSONObject first = nextPresence(ada);
    assertThat(first.getString("name")).as("no presence of bob before cy's offline: %s", first).isEqualTo("cy");
    assertThat(first.getBoolean("online")).isFalse();
  }

  @Test
  void aUserThatStaysAwayIsAnnouncedOfflineAfterTheGrace() throws Exception {
    ChatClient ada = connect("ada", null);
    ada.session();
    ChatClient bob = connect("bob", null);
    bob.session();
    assertThat(nextPresence(ada).getBoolean("online")).isTrue();

    long left = System.nanoTime();
    bob.close();
    JSONObject offline = nextPresence(ada);
    long after = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left);

    assertThat(offline.getString("name")).isEqualTo("bob");
    assertThat(offline.getBoolean("online")).isFalse();
    assertThat(after).as("not before the grace period").isGreaterThanOrEqualTo(1_900);
  }
}
