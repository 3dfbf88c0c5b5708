#include "search/query_builder.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_join.h"

namespace storepilot::search {
namespace {

uint32_t DocFreq(const InvertedIndex& index, TermId term) {
  return index.postings(term).doc_freq;
}

// The live term for a normalised word (its stem), if any product has it.
std::optional<TermId> LiveTerm(const InvertedIndex& index,
                               std::string_view word) {
  std::optional<TermId> term = index.FindTerm(index.analyzer().Stem(word));
  if (!term || DocFreq(index, *term) == 0) return std::nullopt;
  return term;
}

bool HasTerm(const Clause& clause, const std::vector<TermId>& terms) {
  for (const Alternative& alt : clause.alternatives) {
    if (alt.terms == terms) return true;
  }
  return false;
}

void AddTypos(const InvertedIndex& index, const QueryOptions& options,
              Clause* clause) {
  const std::string& word = clause->word;
  if (word.size() < kOneTypoMinLength) return;
  const int max_distance = word.size() >= kTwoTyposMinLength ? 2 : 1;
  std::vector<Lexicon::Match> matches =
      index.lexicon().Fuzzy(word, max_distance, 64);
  // Nearest first, then the most common spelling.
  std::stable_sort(matches.begin(), matches.end(),
                   [&](const Lexicon::Match& a, const Lexicon::Match& b) {
                     if (a.distance != b.distance) return a.distance < b.distance;
                     return DocFreq(index, a.term_id) > DocFreq(index, b.term_id);
                   });
  size_t added = 0;
  for (const Lexicon::Match& match : matches) {
    if (added >= options.max_typo_alternatives) break;
    if (DocFreq(index, match.term_id) == 0) continue;
    if (HasTerm(*clause, {match.term_id})) continue;
    Alternative alt;
    alt.terms = {match.term_id};
    alt.typos = static_cast<uint8_t>(match.distance);
    alt.weight = match.distance == 1 ? options.one_typo_weight
                                     : options.two_typo_weight;
    alt.text = match.word;
    clause->alternatives.push_back(std::move(alt));
    ++added;
  }
}

// "sofabed" -> "sofa" + "bed" when both halves are indexed words.
void AddSplit(const InvertedIndex& index, const QueryOptions& options,
              Clause* clause) {
  const std::string& word = clause->word;
  constexpr size_t kMinPart = 2;
  for (size_t cut = kMinPart + 1; cut + kMinPart <= word.size(); ++cut) {
    const std::string_view head(word.data(), cut);
    const std::string_view tail(word.data() + cut, word.size() - cut);
    if (!index.lexicon().Find(head) || !index.lexicon().Find(tail)) continue;
    std::optional<TermId> a = LiveTerm(index, head);
    std::optional<TermId> b = LiveTerm(index, tail);
    if (!a || !b) continue;
    Alternative alt;
    alt.terms = {*a, *b};
    alt.weight = options.compound_weight;
    alt.text = std::string(head) + " " + std::string(tail);
    clause->alternatives.push_back(std::move(alt));
  }
}

void AddCompletions(const InvertedIndex& index, const QueryOptions& options,
                    Clause* clause) {
  std::vector<Lexicon::Match> matches =
      index.lexicon().Complete(clause->word, 256);
  std::stable_sort(matches.begin(), matches.end(),
                   [&](const Lexicon::Match& a, const Lexicon::Match& b) {
                     return DocFreq(index, a.term_id) > DocFreq(index, b.term_id);
                   });
  size_t added = 0;
  for (const Lexicon::Match& match : matches) {
    if (added >= options.max_prefix_alternatives) break;
    if (DocFreq(index, match.term_id) == 0) continue;
    if (HasTerm(*clause, {match.term_id})) continue;
    Alternative alt;
    alt.terms = {match.term_id};
    alt.prefix = true;
    alt.weight = options.prefix_weight;
    alt.text = match.word;
    clause->alternatives.push_back(std::move(alt));
    ++added;
  }
}

// Adds `words` (an alternative for clauses [begin, begin + span)) when every
// non-stop word is indexed.
void AddMultiWord(const InvertedIndex& index, size_t begin, size_t span,
                  const std::vector<std::string>& words, float weight,
                  std::vector<Clause>* clauses) {
  Alternative alt;
  for (const std::string& word : words) {
    if (index.analyzer().IsStopWord(word)) continue;
    std::optional<TermId> term = LiveTerm(index, word);
    if (!term) return;
    alt.terms.push_back(*term);
  }
  if (alt.terms.empty()) return;
  alt.weight = weight;
  alt.span = static_cast<uint8_t>(span);
  alt.text = absl::StrJoin(words, " ");
  for (size_t i = begin; i < begin + span; ++i) {
    if (!HasTerm((*clauses)[i], alt.terms)) {
      (*clauses)[i].alternatives.push_back(alt);
    }
  }
}

void SetIdf(const InvertedIndex& index, Clause* clause) {
  // The informativeness of the word as the shopper meant it: its own terms
  // if indexed, else its best alternative.
  uint32_t df = 0;
  for (const Alternative& alt : clause->alternatives) {
    if (alt.terms.size() != 1 || alt.span != 1) continue;
    df = DocFreq(index, alt.terms[0]);
    break;
  }
  clause->idf = Idf(index.live_docs(), std::max<uint32_t>(df, 1));
}

// Words after which a query qualifies its head: "sheets for twin xl".
bool IsPreposition(std::string_view word) {
  static constexpr std::string_view kPrepositions[] = {
      "with", "without", "for", "in", "on", "of", "by", "from", "to",
      "under", "over", "near", "like", "w"};
  for (std::string_view p : kPrepositions) {
    if (word == p) return true;
  }
  return false;
}

bool HasDigit(std::string_view word) {
  return std::any_of(word.begin(), word.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// Index into the kept words of the head: the last word before the first
// preposition that follows a content word, else the last word; a size or
// model number ("rug 8x10") is passed over for the word before it.
size_t HeadIndex(const std::vector<Token>& tokens, bool all_stop) {
  std::vector<const Token*> kept;
  for (const Token& token : tokens) {
    if (!kept.empty() && IsPreposition(token.surface)) break;
    if (!token.stop_word || all_stop) kept.push_back(&token);
  }
  size_t head = kept.empty() ? 0 : kept.size() - 1;
  while (head > 0 && HasDigit(kept[head]->surface)) --head;
  return head;
}

}  // namespace

double Idf(double doc_count, double doc_freq) {
  return std::log(1.0 + (doc_count - doc_freq + 0.5) / (doc_freq + 0.5));
}

ParsedQuery BuildQuery(const InvertedIndex& index, const SynonymSet* synonyms,
                       std::string_view query, const QueryOptions& options) {
  std::vector<Token> tokens = index.analyzer().Analyze(query);
  const bool all_stop = std::all_of(tokens.begin(), tokens.end(),
                                    [](const Token& t) { return t.stop_word; });
  const size_t head = HeadIndex(tokens, all_stop);
  std::vector<std::string> words;
  for (Token& token : tokens) {
    if (!token.stop_word || all_stop) words.push_back(std::move(token.surface));
  }
  // A query typed up to a space has no unfinished word.
  const bool ends_word = !query.empty() && (query.back() == ' ');
  ParsedQuery parsed;
  bool corrected = false;
  std::vector<std::string> corrected_words;
  for (size_t i = 0; i < words.size(); ++i) {
    Clause clause;
    clause.word = words[i];
    clause.head = i == head && words.size() > 1;
    clause.weight = clause.head ? options.head_weight : 1.0f;
    if (std::optional<TermId> term = LiveTerm(index, clause.word)) {
      clause.known = true;
      clause.alternatives.push_back({{*term}, 1.0f, 0, false, 1, clause.word});
    }
    if (!clause.known) AddSplit(index, options, &clause);
    if (options.typo_tolerance && (!clause.known || options.force_fuzzy)) {
      AddTypos(index, options, &clause);
    }
    const bool last = i + 1 == words.size();
    if (last && options.prefix_last_word && !ends_word) {
      AddCompletions(index, options, &clause);
    }
    std::string shown = clause.word;
    if (!clause.known) {
      for (const Alternative& alt : clause.alternatives) {
        if (alt.typos > 0) {
          shown = alt.text;
          corrected = true;
          break;
        }
      }
    }
    corrected_words.push_back(shown);
    parsed.clauses.push_back(std::move(clause));
  }
  // "sofa bed" -> "sofabed" when the joined word is indexed.
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string joined = words[i] + words[i + 1];
    if (index.lexicon().Find(joined)) {
      AddMultiWord(index, i, 2, {joined}, options.compound_weight,
                   &parsed.clauses);
    }
  }
  if (synonyms != nullptr) {
    for (const SynonymSet::Expansion& e : synonyms->Expand(words)) {
      AddMultiWord(index, e.begin, e.length, e.words, options.synonym_weight,
                   &parsed.clauses);
    }
  }
  for (Clause& clause : parsed.clauses) SetIdf(index, &clause);
  if (corrected) parsed.corrected_query = absl::StrJoin(corrected_words, " ");
  return parsed;
}

}  // namespace storepilot::search
