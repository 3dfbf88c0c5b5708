#ifndef STOREPILOT_API_ROUTER_H_
#define STOREPILOT_API_ROUTER_H_

// Maps (method, path) to a handler. Patterns are '/'-separated segments where
// "{name}" captures one non-empty segment: "/v1/shops/{shop}/products/{id}".

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/http_types.h"

namespace storepilot::api {

using PathParams = std::unordered_map<std::string, std::string>;

template <typename Handler>
class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler) {
    std::vector<std::string> segments;
    for (std::string_view s : Split(pattern)) segments.emplace_back(s);
    routes_.push_back({std::move(method), pattern, std::move(segments), std::move(handler)});
  }

  struct Match {
    const Handler* handler = nullptr;
    const std::string* pattern = nullptr;  // the route's name in metrics
    PathParams params;
    bool method_not_allowed = false;  // the path exists with other methods
  };

  Match Find(std::string_view method, std::string_view path) const {
    Match m;
    std::vector<std::string_view> segments = Split(path);
    for (const Route& r : routes_) {
      PathParams params;
      if (!MatchSegments(r.segments, segments, &params)) continue;
      if (r.method != method) {
        m.method_not_allowed = true;
        m.pattern = &r.pattern;
        continue;
      }
      m.handler = &r.handler;
      m.pattern = &r.pattern;
      m.params = std::move(params);
      m.method_not_allowed = false;
      return m;
    }
    return m;
  }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };

  static std::vector<std::string_view> Split(std::string_view path) {
    std::vector<std::string_view> out;
    size_t pos = 0;
    while (pos <= path.size()) {
      size_t slash = path.find('/', pos);
      if (slash == std::string_view::npos) slash = path.size();
      if (slash > pos) out.push_back(path.substr(pos, slash - pos));
      pos = slash + 1;
    }
    return out;
  }

  static bool MatchSegments(const std::vector<std::string>& pattern,
                            const std::vector<std::string_view>& path, PathParams* params) {
    if (pattern.size() != path.size()) return false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      std::string_view p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        (*params)[std::string(p.substr(1, p.size() - 2))] = PercentDecode(path[i]);
      } else if (p != path[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> routes_;
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_ROUTER_H_
