package dev.parley.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PackedStringMapTest {
  private static Map<String, String> headers() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("host", "localhost:3000");
    map.put("upgrade", "websocket");
    map.put("x-empty", "");
    map.put("", "empty name");
    map.put("x-unicode", "héllo, wörld ✓");
    return map;
  }

  @Test
  void holdsTheSameEntriesAsTheMapItCopies() {
    Map<String, String> packed = PackedStringMap.copyOf(headers());

    assertThat(packed).isEqualTo(headers()).hasSize(5);
    assertThat(packed.hashCode()).isEqualTo(new HashMap<>(headers()).hashCode());
    assertThat(packed.get("upgrade")).isEqualTo("websocket");
    assertThat(packed.get("x-empty")).isEmpty();
    assertThat(packed.get("")).isEqualTo("empty name");
    assertThat(packed.get("x-unicode")).isEqualTo("héllo, wörld ✓");
    assertThat(packed.keySet()).containsExactly("host", "upgrade", "x-empty", "", "x-unicode");
  }

  @Test
  void findsNoKeyThatIsOnlyAPrefixOrAPartOfAnother() {
    Map<String, String> packed = PackedStringMap.copyOf(Map.of("hostname", "a", "xhost", "b"));

    assertThat(packed.get("host")).isNull();
    assertThat(packed.containsKey("host")).isFalse();
    assertThat(packed.get("hostnamex")).isNull();
    assertThat(packed.get(42)).isNull();
  }

  @Test
  void isImmutableAndRefusesNulls() {
    Map<String, String> packed = PackedStringMap.copyOf(headers());

    assertThatThrownBy(() -> packed.put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> packed.remove("host")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(packed::clear).isInstanceOf(UnsupportedOperationException.class);
    Map<String, String> withNull = new HashMap<>();
    withNull.put("a", null);
    assertThatThrownBy(() -> PackedStringMap.copyOf(withNull)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void copyOfAPackedMapIsTheMapItself() {
    PackedStringMap packed = PackedStringMap.copyOf(headers());

    assertThat(PackedStringMap.copyOf(packed)).isSameAs(packed);
    assertThat(PackedStringMap.copyOf(Map.of())).isEmpty();
  }
}
