#include "autoscale/decision_log.h"

#include <nlohmann/json.hpp>

namespace storepilot::autoscale {

store::AppendItem EncodeDecision(const DecisionRecord& r) {
  const nlohmann::json doc = {
      {"service", r.service},       {"minute_ms", r.minute_ms},
      {"decided_ms", r.decided_ms}, {"demand", r.demand},
      {"ready", r.ready},           {"pending", r.pending},
      {"ready_reported", r.ready_reported},
      {"current", r.current},       {"desired", r.desired},
      {"capacity", r.capacity},     {"p50", r.forecast_p50},
      {"upper", r.forecast_upper},  {"policy", r.policy},
      {"reason_code", r.reason_code}, {"reason", r.reason}};
  store::AppendItem item;
  item.type = store::RecordType::kAutoscaleDecision;
  item.payload = doc.dump();
  return item;
}

absl::StatusOr<DecisionRecord> DecodeDecision(std::string_view payload) {
  const nlohmann::json doc = nlohmann::json::parse(payload, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("service") ||
      !doc["service"].is_string() || !doc.contains("minute_ms") ||
      !doc["minute_ms"].is_number_integer()) {
    return absl::InvalidArgumentError("not an autoscale decision record");
  }
  DecisionRecord r;
  try {
    r.service = doc["service"].get<std::string>();
    r.minute_ms = doc["minute_ms"].get<int64_t>();
    r.decided_ms = doc.value("decided_ms", int64_t{0});
    r.demand = doc.value("demand", 0.0);
    r.ready = doc.value("ready", 0);
    r.pending = doc.value("pending", 0);
    r.ready_reported = doc.value("ready_reported", false);
    r.current = doc.value("current", 0);
    r.desired = doc.value("desired", 0);
    r.capacity = doc.value("capacity", 0.0);
    r.forecast_p50 = doc.value("p50", 0.0);
    r.forecast_upper = doc.value("upper", 0.0);
    r.policy = doc.value("policy", "");
    r.reason_code = doc.value("reason_code", "");
    r.reason = doc.value("reason", "");
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(std::string("bad autoscale decision record: ") + e.what());
  }
  if (r.demand < 0 || r.ready < 0 || r.pending < 0) {
    return absl::InvalidArgumentError("bad autoscale decision record: negative counts");
  }
  return r;
}

}  // namespace storepilot::autoscale
