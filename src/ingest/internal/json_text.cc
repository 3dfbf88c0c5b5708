#include "ingest/internal/json_text.h"

#include <charconv>
#include <cmath>

namespace storepilot::ingest {
namespace {

using json = nlohmann::json;

// Appends `s` quoted and escaped as dump() does; false on a non-ASCII byte.
bool AppendString(const std::string& s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t plain = 0;  // start of the run of bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) return false;
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s, plain, i - plain);
    plain = i + 1;
    out->push_back('\\');
    switch (c) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '\b': out->push_back('b'); break;
      case '\t': out->push_back('t'); break;
      case '\n': out->push_back('n'); break;
      case '\f': out->push_back('f'); break;
      case '\r': out->push_back('r'); break;
      default:
        out->append("u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
    }
  }
  out->append(s, plain, s.size() - plain);
  out->push_back('"');
  return true;
}

template <typename Int>
void AppendInteger(Int v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, end);
}

bool Append(const json& j, std::string* out) {
  switch (j.type()) {
    case json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (auto it = j.begin(); it != j.end(); ++it) {  // key order, as dump()
        if (!first) out->push_back(',');
        first = false;
        if (!AppendString(it.key(), out)) return false;
        out->push_back(':');
        if (!Append(it.value(), out)) return false;
      }
      out->push_back('}');
      return true;
    }
    case json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const json& value : j) {
        if (!first) out->push_back(',');
        first = false;
        if (!Append(value, out)) return false;
      }
      out->push_back(']');
      return true;
    }
    case json::value_t::string:
      return AppendString(j.get_ref<const std::string&>(), out);
    case json::value_t::boolean:
      out->append(j.get<bool>() ? "true" : "false");
      return true;
    case json::value_t::number_integer:
      AppendInteger(j.get<int64_t>(), out);
      return true;
    case json::value_t::number_unsigned:
      AppendInteger(j.get<uint64_t>(), out);
      return true;
    case json::value_t::number_float: {
      const double d = j.get<double>();
      if (!std::isfinite(d)) {
        out->append("null");
        return true;
      }
      char buf[64];  // dump()'s number buffer; its own shortest-digits routine
      char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, d);
      out->append(buf, end);
      return true;
    }
    case json::value_t::null:
      out->append("null");
      return true;
    default:  // binary, discarded
      return false;
  }
}

}  // namespace

std::string CompactJson(const json& j) {
  std::string out;
  out.reserve(1024);
  if (Append(j, &out)) return out;
  return j.dump();
}

}  // namespace storepilot::ingest
