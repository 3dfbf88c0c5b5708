// libFuzzer target: the event batch parser must never crash, and what it
// accepts must survive the binary codec unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/event.h"
#include "ingest/event_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static storepilot::ingest::EventParser parser;
  if (size == 0) return 0;
  const bool ndjson = data[0] & 1;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto batch = parser.Parse(body, ndjson, 1'795'773'600'000);
  for (const auto& e : batch.events) {
    std::string buf;
    storepilot::ingest::EncodeEvent(e, &buf);
    auto back = storepilot::ingest::DecodeEvent(buf);
    if (!back.ok() || !(*back == e)) std::abort();
  }
  // Arbitrary bytes through the decoder too.
  (void)storepilot::ingest::DecodeEvent(body);
  return 0;
}
