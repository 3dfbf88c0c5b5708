// POST /v1/shops/{shop}/events: validate the whole batch, append it durably,
// acknowledge with the counts of new and repeated events.
#include "api/service.h"
#include "api/status_http.h"
#include "ingest/event_parser.h"

namespace storepilot::api {

void ApiService::PostEvents(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  // One parser per server thread: it keeps simdjson's buffers between calls.
  thread_local ingest::EventParser parser;
  const bool ndjson =
      call->req.Header("content-type").find("application/x-ndjson") != std::string_view::npos;
  ingest::ParsedBatch batch = parser.Parse(call->req.body, ndjson, deps_.clock->NowMillis());
  if (!batch.errors.empty()) {
    for (int t : batch.types) {
      events_rejected_[t < 0 ? ingest::kNumEventTypes : t]->Inc();
    }
    nlohmann::json details = nlohmann::json::array();
    for (const ingest::FieldError& e : batch.errors) {
      nlohmann::json d = {{"field", e.field}, {"problem", e.problem}};
      if (e.index >= 0) d["index"] = e.index;
      details.push_back(std::move(d));
    }
    std::string message = batch.malformed ? "the body is not a valid event batch"
                                          : "some events are invalid; none were stored";
    return call->respond(ErrorResponse(absl::InvalidArgumentError(message), details));
  }
  std::vector<store::AppendItem> items;
  std::vector<uint8_t> types;
  items.reserve(batch.events.size());
  types.reserve(batch.events.size());
  for (const ingest::Event& e : batch.events) {
    store::AppendItem item;
    item.type = store::RecordType::kEvent;
    item.dedup_key = e.event_id;
    ingest::EncodeEvent(e, &item.payload);
    items.push_back(std::move(item));
    types.push_back(static_cast<uint8_t>(e.type));
  }
  deps_.log->Append(
      shop, std::move(items),
      [this, call, types = std::move(types)](absl::StatusOr<store::AppendResult> r) {
        if (!r.ok()) return call->respond(ErrorResponse(r.status()));
        for (size_t i = 0; i < types.size(); ++i) {
          (r->duplicate[i] ? events_duplicate_ : events_accepted_)[types[i]]->Inc();
        }
        call->respond(JsonResponse(
            200, {{"accepted", r->accepted}, {"duplicates", r->duplicates}}));
      });
}

}  // namespace storepilot::api
