#ifndef STOREPILOT_INGEST_EVENT_PARSER_H_
#define STOREPILOT_INGEST_EVENT_PARSER_H_

// Parses and validates a batch of events from the wire (a JSON array, or
// NDJSON: one JSON object per line). Validation is all-or-nothing: the caller
// stores the batch only when `errors` is empty.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/event.h"

namespace storepilot::ingest {

struct FieldError {
  int index = -1;     // position of the event in the batch; -1 for the body
  std::string field;  // "" when the problem is not one field's
  std::string problem;
};

struct ParsedBatch {
  std::vector<Event> events;
  std::vector<FieldError> errors;  // empty when the whole batch is valid
  bool malformed = false;          // the body is not JSON of the right shape
  // The type of every object in the body (EventType as int, -1 when it had
  // none), for counting rejected events by type.
  std::vector<int> types;
};

struct ParseLimits {
  size_t max_events = 10'000;
  size_t max_id_bytes = 256;
  size_t max_text_bytes = 2'048;
  size_t max_items = 500;
  int64_t max_future_ms = 24 * 3600 * 1000;  // timestamps beyond now+this fail
};

// Reusable parser; holds simdjson buffers. Not thread-safe: use one per thread.
class EventParser {
 public:
  explicit EventParser(ParseLimits limits = {});
  ~EventParser();
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // `now_ms` is the server's clock, for the future-timestamp check.
  // Reports at most 100 field errors.
  ParsedBatch Parse(std::string_view body, bool ndjson, int64_t now_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_EVENT_PARSER_H_
