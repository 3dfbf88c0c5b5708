#ifndef STOREPILOT_SEARCH_TEXT_NORMALIZER_H_
#define STOREPILOT_SEARCH_TEXT_NORMALIZER_H_

#include <string>
#include <string_view>
#include <vector>

namespace storepilot::search {

// Splits UTF-8 text into normalised words: case-folded, with diacritics
// removed for Latin, Greek and Cyrillic letters ("Crème BRÛLÉE" -> "creme",
// "brulee"), ligatures and full-width forms expanded, combining marks dropped.
// Word characters are letters and digits of any script; everything else
// (punctuation, symbols, spaces) separates words, except that an apostrophe
// inside a word is dropped ("men's" -> "mens") and a '.' or ',' between two
// digits is kept ("70.87"). Invalid UTF-8 bytes are treated as separators, so
// any byte string is accepted. Thread-safe (pure function).
std::vector<std::string> NormalizeWords(std::string_view text);

// NormalizeWords joined by single spaces: the canonical form of a query.
std::string NormalizeText(std::string_view text);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_TEXT_NORMALIZER_H_
