package dev.parley.server.http;

/**
 * A refusal of the HTTP layer itself (a malformed request, a missing credential, a cross-site
 * request…), raised before any service is asked. {@link ApiRouter} turns it into its status.
 */
final class ApiError extends RuntimeException {
  final int status;
  final String code;

  ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** 400 {@code invalid_argument}. */
  static ApiError invalid(String message) {
    return new ApiError(400, "invalid_argument", message);
  }

  /** 405, naming the methods the route takes. */
  static ApiError methodNotAllowed(String allowed) {
    return new ApiError(405, "method_not_allowed", allowed);
  }
}
