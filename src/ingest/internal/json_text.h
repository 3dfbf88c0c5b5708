#ifndef STOREPILOT_INGEST_INTERNAL_JSON_TEXT_H_
#define STOREPILOT_INGEST_INTERNAL_JSON_TEXT_H_

// nlohmann::json::dump() without its per-character output adapter: the order
// store serialises every order it keeps, and dump() was a tenth of a
// webhook's translation.

#include <string>

#include "nlohmann/json.hpp"

namespace storepilot::ingest {

// Exactly j.dump() (compact, non-ASCII kept as is, the same escapes and the
// same shortest float text), also when it throws: a document holding any
// non-ASCII byte, or a binary value, is handed to dump() itself, which
// validates the UTF-8.
std::string CompactJson(const nlohmann::json& j);

}  // namespace storepilot::ingest

#endif  // STOREPILOT_INGEST_INTERNAL_JSON_TEXT_H_
