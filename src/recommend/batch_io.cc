#include "recommend/batch_io.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace storepilot::recommend {
namespace {

absl::StatusOr<std::ifstream> Open(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  return in;
}

std::string_view StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) fields.push_back(line.substr(i, j - i));
    i = j;
  }
  return fields;
}

absl::StatusOr<std::vector<UserSequence>> ReadSequences(const std::string& path,
                                                        Vocabulary* vocab) {
  auto in = Open(path);
  if (!in.ok()) return in.status();
  std::vector<UserSequence> out;
  std::string line;
  while (std::getline(*in, line)) {
    std::vector<std::string_view> fields = SplitFields(StripCr(line));
    if (fields.empty()) continue;
    UserSequence seq;
    seq.user = std::string(fields[0]);
    seq.items.reserve(fields.size() - 1);
    for (size_t i = 1; i < fields.size(); ++i) seq.items.push_back(vocab->Intern(fields[i]));
    out.push_back(std::move(seq));
  }
  return out;
}

absl::StatusOr<std::vector<std::vector<ItemIndex>>> ReadSessions(
    const std::vector<std::string>& paths, Vocabulary* vocab) {
  std::vector<std::vector<ItemIndex>> out;
  for (const std::string& path : paths) {
    auto in = Open(path);
    if (!in.ok()) return in.status();
    std::string line;
    while (std::getline(*in, line)) {
      std::vector<std::string_view> fields = SplitFields(StripCr(line));
      if (fields.empty()) continue;
      std::vector<ItemIndex> session;
      session.reserve(fields.size());
      for (std::string_view f : fields) session.push_back(vocab->Intern(f));
      out.push_back(std::move(session));
    }
  }
  return out;
}

absl::StatusOr<std::vector<SessionPrefix>> ReadPrefixes(const std::string& path,
                                                        Vocabulary* vocab) {
  auto in = Open(path);
  if (!in.ok()) return in.status();
  std::vector<SessionPrefix> out;
  std::string raw;
  while (std::getline(*in, raw)) {
    std::string_view line = StripCr(raw);
    SessionPrefix prefix;
    size_t tab = line.find('\t');
    if (tab != std::string_view::npos) {
      prefix.label = std::string(line.substr(0, tab));
      line = line.substr(tab + 1);
    }
    for (std::string_view f : SplitFields(line)) prefix.items.push_back(vocab->Intern(f));
    out.push_back(std::move(prefix));
  }
  return out;
}

absl::Status WriteRecommendations(const std::string& path,
                                  const std::vector<std::string>& keys,
                                  const std::vector<std::vector<ItemIndex>>& lists,
                                  const Vocabulary& vocab) {
  if (keys.size() != lists.size()) {
    return absl::InvalidArgumentError("keys and lists differ in length");
  }
  std::ofstream out(path);
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  std::string line;
  for (size_t i = 0; i < keys.size(); ++i) {
    line.assign(keys[i]);
    line.push_back('\t');
    for (size_t j = 0; j < lists[i].size(); ++j) {
      if (j > 0) line.push_back(' ');
      line.append(vocab.Name(lists[i][j]));
    }
    line.push_back('\n');
    out << line;
  }
  out.flush();
  if (!out) return absl::InternalError(absl::StrCat("error writing ", path));
  return absl::OkStatus();
}

}  // namespace storepilot::recommend
