package dev.parley.server.http;

import java.util.List;

/**
 * An answer of the JSON API.
 *
 * @param status the HTTP status
 * @param body the JSON body, empty for none
 * @param headers extra headers as name, value, name, value, … ({@code Set-Cookie} may repeat)
 */
public record ApiResponse(int status, byte[] body, List<String> headers) {
  public ApiResponse {
    headers = List.copyOf(headers);
    if (headers.size() % 2 != 0) {
      throw new IllegalArgumentException("headers come in name, value pairs");
    }
  }
}
