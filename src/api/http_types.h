#ifndef STOREPILOT_API_HTTP_TYPES_H_
#define STOREPILOT_API_HTTP_TYPES_H_

// The server's view of a request and a response, independent of Beast so
// routes and handlers can be tested without sockets.

#include <functional>
#include <memory>
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
  // Set by admission control (src/overload) from the request's head, before
  // the body is read: its priority class ("critical", "high", "normal",
  // "low"; "" when admission control is off) and whether the handler should
  // answer more cheaply (cached or popular lists, a cheaper ranking), because
  // requests like it are the next to be shed. A handler that degrades says
  // so in its response ("degraded": true).
  std::string priority_class;
  bool degrade = false;

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

// The verdict of admission control on a request's head (method, target and
// headers; the body is not read yet, so shedding costs little).
struct AdmissionVerdict {
  bool admit = true;
  std::string priority_class;
  bool degrade = false;
  HttpResponse rejection;      // sent instead of calling the handler when !admit
  std::shared_ptr<void> slot;  // held until the response is written
  // Admitted, but to be run through HttpServerOptions::schedule at this
  // priority; `rejection` is then the answer if it is dropped from the queue.
  bool queue = false;
  int priority = 0;
  std::function<void()> on_expired;  // called if it is dropped from the queue
};
// Called once per request, from the server's threads; must not block.
using AdmissionHook = std::function<AdmissionVerdict(const HttpRequest& head)>;

// Decodes %XX escapes (and '+' as a space); malformed escapes stay as they are.
std::string PercentDecode(std::string_view s);

// Called exactly once per request, from any thread.
using Responder = std::function<void(HttpResponse)>;
using Handler = std::function<void(HttpRequest&&, Responder)>;

}  // namespace storepilot::api

#endif  // STOREPILOT_API_HTTP_TYPES_H_
