#include "search/text_normalizer.h"

#include <cstdint>

namespace storepilot::search {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one UTF-8 code point at text[*i] and advances *i; returns kInvalid
// (advancing one byte) on a malformed sequence.
char32_t DecodeUtf8(std::string_view text, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t b0 = byte(*i);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++*i;
    return kInvalid;
  }
  if (*i + len > text.size()) {
    ++*i;
    return kInvalid;
  }
  for (int k = 1; k < len; ++k) {
    const uint8_t b = byte(*i + k);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return kInvalid;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  // Reject overlong forms and surrogates.
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return kInvalid;
  }
  *i += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Base letters of U+00C0..U+00FF; '*' marks a separator (x, /), '#' a
// two-letter expansion handled in FoldLatin1.
constexpr std::string_view kLatin1 =
    "aaaaaa#ceeeeiiii"   // C0-CF (C6 = AE)
    "dnooooo*ouuuuy##"   // D0-DF (D7 = x, DE = TH, DF = ss)
    "aaaaaa#ceeeeiiii"   // E0-EF (E6 = ae)
    "dnooooo*ouuuuy#y";  // F0-FF (F7 = /, FE = th)

// Base letters of Latin Extended-A, U+0100..U+017F; '#' marks a ligature.
constexpr std::string_view kLatinExtA =
    "aaaaaaccccccccdd"   // 0100-010F
    "ddeeeeeeeeeegggg"   // 0110-011F
    "gggghhhhiiiiiiii"   // 0120-012F
    "ii##jjkkklllllll"   // 0130-013F (0132/0133 = ij)
    "lllnnnnnnnnnoooo"   // 0140-014F
    "oo##rrrrrrssssss"   // 0150-015F (0152/0153 = oe)
    "sstttttuuuuuuuuu"   // 0160-016F
    "uuuuwwyyyzzzzzzs";  // 0170-017F

// Appends the folded form of `cp` to `out`; returns false if `cp` separates
// words.
bool FoldCodePoint(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') {
      out->push_back(static_cast<char>(cp - 'A' + 'a'));
      return true;
    }
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
      out->push_back(static_cast<char>(cp));
      return true;
    }
    return false;
  }
  if (cp < 0xC0) return false;  // Latin-1 punctuation and symbols.
  if (cp <= 0xFF) {
    const char c = kLatin1[cp - 0xC0];
    if (c == '*') return false;
    if (c != '#') {
      out->push_back(c);
      return true;
    }
    if (cp == 0xC6 || cp == 0xE6) out->append("ae");
    if (cp == 0xDE || cp == 0xFE) out->append("th");
    if (cp == 0xDF) out->append("ss");
    return true;
  }
  if (cp <= 0x17F) {
    const char c = kLatinExtA[cp - 0x100];
    if (c != '#') {
      out->push_back(c);
    } else {
      out->append(cp < 0x140 ? "ij" : "oe");
    }
    return true;
  }
  if (cp >= 0x300 && cp <= 0x36F) return true;  // Combining marks: dropped.
  // Greek: accented capitals and small letters fold to unaccented small.
  if (cp >= 0x386 && cp <= 0x3CE) {
    static constexpr char32_t kAccented[][2] = {
        {0x386, 0x3B1}, {0x388, 0x3B5}, {0x389, 0x3B7}, {0x38A, 0x3B9},
        {0x38C, 0x3BF}, {0x38E, 0x3C5}, {0x38F, 0x3C9}, {0x390, 0x3B9},
        {0x3AA, 0x3B9}, {0x3AB, 0x3C5}, {0x3AC, 0x3B1}, {0x3AD, 0x3B5},
        {0x3AE, 0x3B7}, {0x3AF, 0x3B9}, {0x3B0, 0x3C5}, {0x3C2, 0x3C3},
        {0x3CA, 0x3B9}, {0x3CB, 0x3C5}, {0x3CC, 0x3BF}, {0x3CD, 0x3C5},
        {0x3CE, 0x3C9}};
    for (const auto& [from, to] : kAccented) {
      if (cp == from) {
        AppendUtf8(to, out);
        return true;
      }
    }
    if (cp >= 0x391 && cp <= 0x3A9) cp += 0x20;
    if (cp < 0x3B1) return false;  // Greek punctuation and tonos marks.
    AppendUtf8(cp, out);
    return true;
  }
  // Cyrillic capitals.
  if (cp >= 0x400 && cp <= 0x40F) cp += 0x50;
  if (cp >= 0x410 && cp <= 0x42F) cp += 0x20;
  if (cp == 0x451) cp = 0x435;  // ё -> е, as most shops spell it.
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // Punctuation, symbols.
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation.
  if (cp == 0xFB00) {
    out->append("ff");
    return true;
  }
  if (cp == 0xFB01 || cp == 0xFB02) {
    out->append(cp == 0xFB01 ? "fi" : "fl");
    return true;
  }
  if (cp >= 0xFF01 && cp <= 0xFF5E) return FoldCodePoint(cp - 0xFEE0, out);
  if (cp >= 0xFE00 && cp <= 0xFE0F) return true;  // Variation selectors.
  if (cp >= 0x1F000) return false;                 // Emoji and pictographs.
  AppendUtf8(cp, out);  // A letter of another script, kept as is.
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::vector<std::string> NormalizeWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = DecodeUtf8(text, &i);
    if (cp != kInvalid && FoldCodePoint(cp, &current)) continue;
    // Keep '.' and ',' between digits, and drop apostrophes inside words.
    const bool in_word = !current.empty() && i < text.size();
    if (in_word && (cp == '.' || cp == ',') && IsDigit(current.back()) &&
        IsDigit(text[i])) {
      current.push_back('.');
      continue;
    }
    if (in_word && (cp == '\'' || cp == 0x2019)) {
      size_t next = i;
      std::string probe;
      const char32_t following = DecodeUtf8(text, &next);
      if (following != kInvalid && FoldCodePoint(following, &probe)) continue;
    }
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::string NormalizeText(std::string_view text) {
  std::string out;
  for (const std::string& word : NormalizeWords(text)) {
    if (!out.empty()) out.push_back(' ');
    out += word;
  }
  return out;
}

}  // namespace storepilot::search
