#ifndef STOREPILOT_COMMON_BINARY_CODEC_H_
#define STOREPILOT_COMMON_BINARY_CODEC_H_

// Little helpers for compact binary records: LEB128 varints, length-prefixed
// strings, fixed-width big-endian integers (so keys sort numerically) and
// IEEE doubles.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace storepilot {

class BinaryWriter {
 public:
  explicit BinaryWriter(std::string* out) : out_(out) {}
  void PutU8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      out_->push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out_->push_back(static_cast<char>(v));
  }
  void PutFixed64BE(uint64_t v) {
    for (int i = 7; i >= 0; --i) out_->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void PutFixed16BE(uint16_t v) {
    out_->push_back(static_cast<char>(v >> 8));
    out_->push_back(static_cast<char>(v & 0xff));
  }
  void PutDouble(double v) {
    char buf[8];
    std::memcpy(buf, &v, 8);
    out_->append(buf, 8);
  }
  void PutString(std::string_view s) {
    PutVarint(s.size());
    out_->append(s.data(), s.size());
  }

 private:
  std::string* out_;
};

// Every Get* returns false (and leaves the reader unusable) when the input is
// too short or malformed.
class BinaryReader {
 public:
  explicit BinaryReader(std::string_view in) : in_(in) {}
  bool GetU8(uint8_t* v) {
    if (in_.empty()) return false;
    *v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }
  bool GetVarint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (in_.empty()) return false;
      uint8_t byte = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  bool GetFixed64BE(uint64_t* v) {
    if (in_.size() < 8) return false;
    uint64_t r = 0;
    for (int i = 0; i < 8; ++i) r = (r << 8) | static_cast<uint8_t>(in_[i]);
    in_.remove_prefix(8);
    *v = r;
    return true;
  }
  bool GetFixed16BE(uint16_t* v) {
    if (in_.size() < 2) return false;
    *v = static_cast<uint16_t>((static_cast<uint8_t>(in_[0]) << 8) |
                               static_cast<uint8_t>(in_[1]));
    in_.remove_prefix(2);
    return true;
  }
  bool GetDouble(double* v) {
    if (in_.size() < 8) return false;
    std::memcpy(v, in_.data(), 8);
    in_.remove_prefix(8);
    return true;
  }
  bool GetString(std::string* s) {
    uint64_t n = 0;
    if (!GetVarint(&n) || n > in_.size()) return false;
    s->assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  bool GetStringView(std::string_view* s) {
    uint64_t n = 0;
    if (!GetVarint(&n) || n > in_.size()) return false;
    *s = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }
  bool AtEnd() const { return in_.empty(); }
  std::string_view rest() const { return in_; }

 private:
  std::string_view in_;
};

}  // namespace storepilot

#endif  // STOREPILOT_COMMON_BINARY_CODEC_H_
