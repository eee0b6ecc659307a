package dev.parley.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.chat.ChatException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientJsonTest {
  private final ObjectMapper mapper = ClientJson.mapper();

  @Test
  void aKeyGivenTwiceAtAnyDepthReadsAsRepeated() throws Exception {
    JsonNode tree = mapper.readTree(
        "[\"e\",{\"a\":1,\"a\":2,\"b\":{\"c\":\"x\",\"c\":\"x\",\"c\":\"y\"},\"d\":[{\"e\":{},\"e\":[]}],\"f\":3}]");

    assertThat(ClientJson.isRepeated(tree.get(1).get("a"))).isTrue();
    assertThat(ClientJson.isRepeated(tree.get(1).get("b").get("c"))).isTrue();
    assertThat(ClientJson.isRepeated(tree.get(1).get("d").get(0).get("e"))).isTrue();
    assertThat(tree.get(1).get("f").intValue()).as("other keys are read as usual").isEqualTo(3);
  }

  @Test
  void theFieldReadersRefuseARepeatedKeyWhateverItsValues() throws Exception {
    JsonNode request = mapper.readTree("{\"roomId\":\"1\",\"roomId\":\"1\",\"text\":\"a\",\"text\":{},"
        + "\"typing\":true,\"typing\":false,\"limit\":5,\"limit\":5,\"seq\":1,\"seq\":1}");

    for (String field : List.of("roomId", "text", "typing", "limit", "seq")) {
      assertThatThrownBy(() -> {
        switch (field) {
          case "roomId" -> Fields.id(request, field);
          case "text" -> Fields.text(request, field);
          case "typing" -> Fields.bool(request, field);
          case "limit" -> Fields.limit(request, 50);
          default -> Fields.optionalSeq(request, field);
        }
      }).as(field).isInstanceOfSatisfying(ChatException.class, e -> {
        assertThat(e.code()).isEqualTo(ChatException.Code.INVALID_ARGUMENT);
        assertThat(e.getMessage()).isEqualTo(field + " is given more than once");
      });
    }
  }

  @Test
  void readsAndWritesEverythingElseAsJacksonDoes() throws Exception {
    String json = "{\"a\":[1,2.5,\"x\",null,true,{\"b\":{}}],\"c\":12345678901234567890}";

    assertThat(mapper.readTree(json)).isEqualTo(new ObjectMapper().readTree(json));
    assertThat(mapper.writeValueAsString(Map.of("k", List.of(1, "two")))).isEqualTo("{\"k\":[1,\"two\"]}");
  }
}
