package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server's own origin: the Host a request is addressed to, with the scheme the server speaks. */
@Timeout(5)
class SameOriginTest {
  @ParameterizedTest
  @CsvSource({
      "http://chat.example:3000,  chat.example:3000,  false",
      "http://CHAT.example:3000,  chat.EXAMPLE:3000,  false",
      "http://chat.example,       chat.example,       false",
      "http://chat.example,       chat.example:80,    false",
      "http://chat.example:80,    chat.example,       false",
      "https://chat.example,      chat.example,       true",
      "https://chat.example,      chat.example:443,   true",
      "HTTPS://chat.example:8443, chat.example:8443,  true",
      "http://127.0.0.1:3000,     127.0.0.1:3000,     false",
      "http://[::1]:3000,         [::1]:3000,         false",
  })
  void theSamePlaceOverTheServersScheme(String origin, String host, boolean secure) {
    assertThat(SameOrigin.matches(origin, host, secure)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
      "https://chat.example:3000, chat.example:3000, false",
      "http://chat.example:3000,  chat.example:3000, true",
      "http://chat.example:3001,  chat.example:3000, false",
      "http://chat.example,       chat.example:3000, false",
      "https://chat.example,      chat.example:80,   true",
      "http://evil.example,       chat.example,      false",
      "http://chat.example.evil,  chat.example,      false",
      "http://chat.example/,      chat.example,      false",
      "http://a@chat.example,     chat.example,      false",
      "http://chat.example:,      chat.example,      false",
      "http://chat.example:99999, chat.example:99999, false",
      "http://chat.example:x,     chat.example:x,    false",
      "http://[::1,               [::1,              false",
      "http://,                   chat.example,      false",
      "ws://chat.example,         chat.example,      false",
      "null,                      chat.example,      false",
  })
  void anythingElseIsAnotherSite(String origin, String host, boolean secure) {
    assertThat(SameOrigin.matches(origin, host, secure)).isFalse();
  }

  @Test
  void withoutAHostNothingIsTheSameOrigin() {
    assertThat(SameOrigin.matches("http://chat.example", null, false)).isFalse();
    assertThat(SameOrigin.matches(null, "chat.example", false)).isFalse();
  }
}
