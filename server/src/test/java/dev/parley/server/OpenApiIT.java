package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document a running node serves: a valid OpenAPI 3.1 document that describes exactly
 * the routes the node's router has (from its own table), no more and no fewer.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
      "trace");

  @TempDir
  static Path dir;
  Parley parley;
  String body;

  @BeforeAll
  void start() throws Exception {
    parley = ParleyHarness.start(dir.resolve("data"));
    HttpResponse<String> served = new ApiClient(parley.port()).send("GET", "/api/v1/openapi.json", null);
    assertThat(served.statusCode()).as("served without a credential").isEqualTo(200);
    assertThat(served.headers().firstValue("content-type")).hasValueSatisfying(t ->
        assertThat(t).startsWith("application/json"));
    body = served.body();
  }

  @AfterAll
  void stop() {
    if (parley != null) {
      parley.close();
    }
  }

  @Test
  void itIsAValidOpenApi31Document() throws Exception {
    JsonNode tree = ApiClient.JSON.readTree(body);
    assertThat(tree.get("openapi").asText()).startsWith("3.1.");

    SwaggerParseResult parsed = parse(false);

    assertThat(parsed.getMessages()).as("what the parser finds wrong").isEmpty();
    assertThat(parsed.getOpenAPI()).isNotNull();
    assertThat(parsed.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
  }

  @Test
  void itDescribesExactlyTheRoutesTheServerHas() throws Exception {
    JsonNode paths = ApiClient.JSON.readTree(body).get("paths");
    Set<String> documented = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
        if (METHODS.contains(method.getKey())) {
          documented.add(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      }
    }

    assertThat(parley.apiRoutes()).doesNotHaveDuplicates();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(parley.apiRoutes());
  }

  @Test
  void everyOperationNamesItsParametersAndAnswers() {
    OpenAPI api = parse(true).getOpenAPI();
    Set<String> operationIds = new HashSet<>();
    Pattern parameter = Pattern.compile("\\{([^}]+)}");
    for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
        String name = entry.getKey() + " " + path.getKey();
        Operation operation = entry.getValue();
        assertThat(operationIds.add(operation.getOperationId())).as("%s has a unique operationId", name).isTrue();
        Set<String> inPath = new TreeSet<>();
        Matcher m = parameter.matcher(path.getKey());
        while (m.find()) {
          inPath.add(m.group(1));
        }
        List<Parameter> parameters = operation.getParameters() == null ? List.of()
            : operation.getParameters().stream().map(p -> resolve(api, p)).toList();
        assertThat(parameters.stream().filter(p -> "path".equals(p.getIn())).map(Parameter::getName))
            .as("%s declares its path parameters", name).containsExactlyInAnyOrderElementsOf(inPath);
        assertThat(operation.getResponses()).as(name).isNotEmpty();
        boolean protectedRoute = operation.getSecurity() != null && operation.getSecurity().stream()
            .noneMatch(Map::isEmpty);
        if (protectedRoute) {
          assertThat(operation.getResponses()).as("%s says it may be a 401", name).containsKey("401");
        }
        if (!inPath.isEmpty()) {
          assertThat(operation.getResponses()).as("%s says a bad id is a 400", name).containsKey("400");
        }
      }
    }
  }

  @Test
  void everyReferenceResolves() throws Exception {
    JsonNode tree = ApiClient.JSON.readTree(body);
    List<String> refs = new ArrayList<>();
    collectRefs(tree, refs);

    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(tree.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  private static Parameter resolve(OpenAPI api, Parameter parameter) {
    if (parameter.get$ref() == null) {
      return parameter;
    }
    String name = parameter.get$ref().substring(parameter.get$ref().lastIndexOf('/') + 1);
    Parameter found = api.getComponents().getParameters().get(name);
    assertThat(found).as(parameter.get$ref()).isNotNull();
    return found;
  }

  private SwaggerParseResult parse(boolean resolve) {
    ParseOptions options = new ParseOptions();
    options.setResolve(resolve);
    options.setValidateInternalRefs(true);
    return new OpenAPIV3Parser().readContents(body, null, options);
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getKey().equals("$ref")) {
          refs.add(field.getValue().asText());
        } else {
          collectRefs(field.getValue(), refs);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }
}
