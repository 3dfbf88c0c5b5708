#ifndef STOREPILOT_API_HTTP_TYPES_H_
#define STOREPILOT_API_HTTP_TYPES_H_

// The server's view of a request and a response, independent of Beast so
// routes and handlers can be tested without sockets.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace storepilot::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as sent
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string request_id;

  // The first header named `name` (lower-case), or "".
  std::string_view Header(std::string_view name) const;
  std::string_view Path() const;
  // Decoded query parameter `name`, or "" when absent.
  std::string Query(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Decodes %XX escapes (and '+' as a space); malformed escapes stay as they are.
std::string PercentDecode(std::string_view s);

// Called exactly once per request, from any thread.
using Responder = std::function<void(HttpResponse)>;
using Handler = std::function<void(HttpRequest&&, Responder)>;

}  // namespace storepilot::api

#endif  // STOREPILOT_API_HTTP_TYPES_H_
