#ifndef STOREPILOT_API_STATUS_HTTP_H_
#define STOREPILOT_API_STATUS_HTTP_H_

// The one table from canonical Status codes to HTTP statuses, and the error
// body every route uses: {"error": {"code", "message", "details"}}.

#include <string>

#include "absl/status/status.h"
#include "api/http_types.h"
#include "nlohmann/json.hpp"

namespace storepilot::api {

int HttpStatusFor(absl::StatusCode code);
// "invalid_argument", "not_found", ... for the error body's "code".
std::string ErrorCodeName(absl::StatusCode code);

HttpResponse ErrorResponse(const absl::Status& status,
                           nlohmann::json details = nlohmann::json::array());
HttpResponse JsonResponse(int status, const nlohmann::json& body);

}  // namespace storepilot::api

#endif  // STOREPILOT_API_STATUS_HTTP_H_
