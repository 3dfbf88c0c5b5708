#ifndef STOREPILOT_RECOMMEND_BATCH_IO_H_
#define STOREPILOT_RECOMMEND_BATCH_IO_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

// One line of a `--format sequences` file: a user and the items in time order.
struct UserSequence {
  std::string user;
  std::vector<ItemIndex> items;
};

// One line of a session-prefix file. `label` is the optional first column of a
// `label<TAB>items` line (empty when the line has no tab).
struct SessionPrefix {
  std::string label;
  std::vector<ItemIndex> items;
};

// Reads `user item item ...` lines (whitespace separated); blank lines are
// skipped, a line with only a user gives an empty history. Items are interned
// into `vocab`. NotFound when the file cannot be opened.
absl::StatusOr<std::vector<UserSequence>> ReadSequences(const std::string& path,
                                                        Vocabulary* vocab);

// Reads training sessions, one per line (item ids in click order), from every
// file in `paths` in order. Blank lines are skipped.
absl::StatusOr<std::vector<std::vector<ItemIndex>>> ReadSessions(
    const std::vector<std::string>& paths, Vocabulary* vocab);

// Reads session prefixes, one per line: `items...` or `label<TAB>items...`.
// Every line counts (a blank line is an empty prefix) so that output indexes
// match input line numbers. Prefix items are interned into `vocab`; labels are
// kept as text.
absl::StatusOr<std::vector<SessionPrefix>> ReadPrefixes(const std::string& path,
                                                        Vocabulary* vocab);

// Writes `key<TAB>item item ...` lines. `keys` and `lists` must have the same
// length (InvalidArgument otherwise). Internal when the file cannot be written.
absl::Status WriteRecommendations(const std::string& path,
                                  const std::vector<std::string>& keys,
                                  const std::vector<std::vector<ItemIndex>>& lists,
                                  const Vocabulary& vocab);

// Splits on spaces and tabs, dropping empty fields.
std::vector<std::string_view> SplitFields(std::string_view line);

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_BATCH_IO_H_
