#ifndef STOREPILOT_API_CONFIG_APPEND_H_
#define STOREPILOT_API_CONFIG_APPEND_H_

// Writes one configuration record (merchandising, synonyms) through the log
// and answers once every sink has applied it, so the next request sees it and
// a restart replays it.

#include <string>

#include "api/service.h"
#include "api/status_http.h"

namespace storepilot::api {

inline void AppendConfigAndAnswer(store::EventLog* log, const std::string& shop,
                                  store::RecordType type, std::string payload,
                                  ApiService::CallPtr call, HttpResponse success) {
  std::vector<store::AppendItem> items(1);
  items[0].type = type;
  items[0].payload = std::move(payload);
  log->Append(
      shop, std::move(items),
      [call, success = std::move(success)](absl::StatusOr<store::AppendResult> r) mutable {
        if (!r.ok()) return call->respond(ErrorResponse(r.status()));
        call->respond(std::move(success));
      },
      /*wait_applied=*/true);
}

}  // namespace storepilot::api

#endif  // STOREPILOT_API_CONFIG_APPEND_H_
