#include "search/synonyms.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "search/text_normalizer.h"

namespace storepilot::search {

absl::StatusOr<std::string> SynonymSet::Key(std::string_view phrase) const {
  std::vector<std::string> words = NormalizeWords(phrase);
  if (words.empty()) return absl::InvalidArgumentError("empty synonym phrase");
  if (words.size() > kMaxPhraseWords) {
    return absl::InvalidArgumentError(
        absl::StrCat("synonym phrase longer than ", kMaxPhraseWords, " words"));
  }
  return absl::StrJoin(words, " ");
}

absl::Status SynonymSet::AddEquivalent(const std::vector<std::string>& phrases) {
  if (phrases.size() < 2) {
    return absl::InvalidArgumentError("a synonym group needs two phrases");
  }
  std::vector<std::string> keys;
  for (const std::string& phrase : phrases) {
    absl::StatusOr<std::string> key = Key(phrase);
    if (!key.ok()) return key.status();
    keys.push_back(*std::move(key));
  }
  for (const std::string& from : keys) {
    for (const std::string& to : keys) {
      if (from != to) rules_[from].push_back(NormalizeWords(to));
    }
  }
  return absl::OkStatus();
}

absl::Status SynonymSet::AddOneWay(std::string_view from,
                                   const std::vector<std::string>& to) {
  if (to.empty()) return absl::InvalidArgumentError("no synonyms for the root");
  absl::StatusOr<std::string> key = Key(from);
  if (!key.ok()) return key.status();
  std::vector<std::vector<std::string>> alternatives;
  for (const std::string& phrase : to) {
    absl::StatusOr<std::string> checked = Key(phrase);
    if (!checked.ok()) return checked.status();
    alternatives.push_back(NormalizeWords(phrase));
  }
  auto& rule = rules_[*key];
  rule.insert(rule.end(), alternatives.begin(), alternatives.end());
  return absl::OkStatus();
}

absl::StatusOr<SynonymSet> SynonymSet::FromJson(std::string_view json) {
  using Json = nlohmann::json;
  Json doc = Json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded()) return absl::InvalidArgumentError("malformed JSON");
  if (!doc.is_object() || !doc.contains("synonyms") ||
      !doc["synonyms"].is_array()) {
    return absl::InvalidArgumentError("expected {\"synonyms\": [...]}");
  }
  SynonymSet set;
  for (const Json& entry : doc["synonyms"]) {
    if (!entry.is_object() || !entry.contains("synonyms") ||
        !entry["synonyms"].is_array()) {
      return absl::InvalidArgumentError("each entry needs a synonyms array");
    }
    std::vector<std::string> phrases;
    for (const Json& phrase : entry["synonyms"]) {
      if (!phrase.is_string()) {
        return absl::InvalidArgumentError("synonyms must be strings");
      }
      phrases.push_back(phrase.get<std::string>());
    }
    absl::Status status;
    if (entry.contains("root")) {
      if (!entry["root"].is_string()) {
        return absl::InvalidArgumentError("root must be a string");
      }
      status = set.AddOneWay(entry["root"].get<std::string>(), phrases);
    } else {
      status = set.AddEquivalent(phrases);
    }
    if (!status.ok()) return status;
  }
  return set;
}

std::vector<SynonymSet::Expansion> SynonymSet::Expand(
    const std::vector<std::string>& words) const {
  std::vector<Expansion> expansions;
  if (rules_.empty()) return expansions;
  for (size_t begin = 0; begin < words.size(); ++begin) {
    std::string key;
    const size_t max_len = std::min(kMaxPhraseWords, words.size() - begin);
    for (size_t len = 1; len <= max_len; ++len) {
      if (len > 1) key.push_back(' ');
      key += words[begin + len - 1];
      auto it = rules_.find(key);
      if (it == rules_.end()) continue;
      for (const auto& alternative : it->second) {
        expansions.push_back({begin, len, alternative});
      }
    }
  }
  return expansions;
}

}  // namespace storepilot::search
