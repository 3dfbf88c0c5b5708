#include "search/search_engine.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "search/text_normalizer.h"

namespace storepilot::search {
namespace {

constexpr size_t kMaxPerPage = 250;
constexpr size_t kMaxDepth = 10000;
constexpr size_t kMaxQueryBytes = 1024;

absl::Status Validate(const SearchRequest& request) {
  if (request.page == 0 || request.per_page == 0) {
    return absl::InvalidArgumentError("page and per_page start at 1");
  }
  if (request.per_page > kMaxPerPage) {
    return absl::InvalidArgumentError(
        absl::StrCat("per_page must be at most ", kMaxPerPage));
  }
  if (request.page * request.per_page > kMaxDepth) {
    return absl::InvalidArgumentError(
        absl::StrCat("results are available up to position ", kMaxDepth));
  }
  if (request.query.size() > kMaxQueryBytes) {
    return absl::InvalidArgumentError("query longer than 1 KiB");
  }
  if (request.filters.min_price && request.filters.max_price &&
      *request.filters.min_price > *request.filters.max_price) {
    return absl::InvalidArgumentError("min_price above max_price");
  }
  for (const std::string& facet : request.facets) {
    RETURN_IF_ERROR(ParseFacetKind(facet).status());
  }
  return absl::OkStatus();
}

// Whether `doc` carries the boost's value.
bool HasValue(const InvertedIndex& index, const DocInfo& doc,
              const MerchandisingRule::Boost& boost) {
  std::optional<uint32_t> id = index.pool(boost.kind).Find(boost.value);
  if (!id) return false;
  auto contains = [&](const std::vector<uint32_t>& ids) {
    return std::find(ids.begin(), ids.end(), *id) != ids.end();
  };
  switch (boost.kind) {
    case FacetKind::kBrand: return doc.brand == *id;
    case FacetKind::kProductType: return doc.product_type == *id;
    case FacetKind::kCategory: return contains(doc.categories);
    case FacetKind::kTag: return contains(doc.tags);
    case FacetKind::kAttribute: return contains(doc.attributes);
  }
  return false;
}

}  // namespace

absl::StatusOr<SortOrder> ParseSortOrder(std::string_view name) {
  if (name == "relevance" || name.empty()) return SortOrder::kRelevance;
  if (name == "price_asc") return SortOrder::kPriceAsc;
  if (name == "price_desc") return SortOrder::kPriceDesc;
  if (name == "newest") return SortOrder::kNewest;
  if (name == "best_selling") return SortOrder::kBestSelling;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown sort '", absl::string_view(name.data(), name.size()), "'"));
}

absl::StatusOr<std::unique_ptr<SearchEngine>> SearchEngine::Create(
    const SearchEngineOptions& options, const Clock* clock) {
  ASSIGN_OR_RETURN(std::unique_ptr<Analyzer> analyzer,
                   Analyzer::Create(options.analyzer));
  return std::unique_ptr<SearchEngine>(
      new SearchEngine(options, clock, std::move(analyzer)));
}

SearchEngine::SearchEngine(const SearchEngineOptions& options,
                           const Clock* clock,
                           std::unique_ptr<Analyzer> analyzer)
    : options_(options),
      clock_(clock),
      analyzer_(std::move(analyzer)),
      index_(analyzer_.get()),
      signals_(options.signals) {}

absl::Status SearchEngine::Upsert(const Product& product) {
  absl::MutexLock lock(&mu_);
  RETURN_IF_ERROR(index_.Upsert(product));
  MaybeCompact();
  return absl::OkStatus();
}

absl::Status SearchEngine::Remove(std::string_view product_id) {
  absl::MutexLock lock(&mu_);
  if (!index_.Remove(product_id)) {
    return absl::NotFoundError(absl::StrCat(
        "no product '", absl::string_view(product_id.data(), product_id.size()),
        "'"));
  }
  MaybeCompact();
  return absl::OkStatus();
}

void SearchEngine::MaybeCompact() {
  if (index_.dead_docs() > 1000 &&
      index_.dead_docs() > options_.compact_ratio * index_.live_docs()) {
    index_.Compact();
  }
}

bool SearchEngine::SetPopularity(std::string_view product_id, double popularity) {
  absl::MutexLock lock(&mu_);
  std::optional<DocId> doc = index_.FindDoc(product_id);
  if (!doc) return false;
  index_.SetPopularity(*doc, popularity);
  return true;
}

void SearchEngine::SetSynonyms(SynonymSet synonyms) {
  absl::MutexLock lock(&mu_);
  synonyms_ = std::move(synonyms);
}

void SearchEngine::SetMerchandisingRules(std::vector<MerchandisingRule> rules) {
  absl::MutexLock lock(&mu_);
  rules_ = std::move(rules);
}

void SearchEngine::RecordQuery(std::string_view query, size_t results) {
  absl::MutexLock lock(&log_mu_);
  query_log_.Record(query, results);
}

std::vector<std::string> SearchEngine::Suggest(std::string_view prefix,
                                               size_t limit) const {
  std::vector<std::string> out;
  std::vector<std::string> words = NormalizeWords(prefix);
  if (words.empty()) return out;
  {
    absl::MutexLock lock(&log_mu_);
    out = query_log_.Complete(prefix, limit);
  }
  if (out.size() >= limit) return out;
  std::string head;  // The words before the one being typed.
  for (size_t i = 0; i + 1 < words.size(); ++i) head += words[i] + " ";
  absl::ReaderMutexLock lock(&mu_);
  std::vector<Lexicon::Match> matches =
      index_.lexicon().Complete(words.back(), 256);
  std::stable_sort(matches.begin(), matches.end(),
                   [&](const Lexicon::Match& a, const Lexicon::Match& b) {
                     return index_.postings(a.term_id).doc_freq >
                            index_.postings(b.term_id).doc_freq;
                   });
  absl::flat_hash_set<TermId> seen;  // One spelling per stem.
  for (const Lexicon::Match& match : matches) {
    if (out.size() >= limit) break;
    if (index_.postings(match.term_id).doc_freq == 0) continue;
    if (!seen.insert(match.term_id).second) continue;
    std::string suggestion = head + match.word;
    if (std::find(out.begin(), out.end(), suggestion) == out.end()) {
      out.push_back(std::move(suggestion));
    }
  }
  return out;
}

SearchEngineStats SearchEngine::Stats() const {
  absl::ReaderMutexLock lock(&mu_);
  SearchEngineStats stats;
  stats.products = index_.live_docs();
  stats.terms = index_.lexicon().word_count();
  stats.memory_bytes = index_.MemoryBytes();
  return stats;
}

std::vector<Candidate> SearchEngine::Browse(const CompiledFilters& filters,
                                            size_t needed) const {
  std::vector<Candidate> all;
  for (DocId doc = 0; doc < index_.doc_capacity(); ++doc) {
    const DocInfo& info = index_.doc(doc);
    if (!filters.Matches(info)) continue;
    all.push_back({doc, 0.0f, 0, static_cast<float>(info.popularity)});
  }
  const size_t top = std::min(needed, all.size());
  std::partial_sort(all.begin(), all.begin() + top, all.end(),
                    [](const Candidate& a, const Candidate& b) {
                      if (a.score != b.score) return a.score > b.score;
                      return a.doc < b.doc;
                    });
  return all;
}

std::vector<Candidate> SearchEngine::Retrieve(const SearchRequest& request,
                                              const CompiledFilters& filters,
                                              size_t needed,
                                              SearchResponse* response,
                                              ParsedQuery* parsed) const {
  QueryOptions query_options = options_.query;
  query_options.typo_tolerance = request.typo_tolerance;
  query_options.prefix_last_word = request.prefix;
  std::vector<Candidate> candidates;
  uint64_t required = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    *parsed = BuildQuery(index_, &synonyms_, request.query, query_options);
    candidates = MatchAndScore(index_, *parsed, options_.ranking.bm25f);
    if (!filters.trivial()) {  // Candidates are live already.
      std::erase_if(candidates, [&](const Candidate& c) {
        return !filters.Matches(index_.doc(c.doc));
      });
    }
    required = 0;
    const size_t n = std::min(parsed->clauses.size(), kMaxClauses);
    for (size_t c = 0; c < n; ++c) {
      if (!parsed->clauses[c].alternatives.empty()) required |= uint64_t{1} << c;
    }
    if (static_cast<size_t>(std::popcount(required)) < parsed->clauses.size()) {
      response->relaxed = true;
    }
    auto count = [&] {
      return std::count_if(candidates.begin(), candidates.end(),
                           [&](const Candidate& c) {
                             return (c.matched & required) == required;
                           });
    };
    size_t matching = count();
    // Drop the least informative required word until enough match.
    while (matching < request.min_results && required != 0) {
      size_t weakest = 0;
      double weakest_idf = 1e300;
      for (size_t c = 0; c < n; ++c) {
        if ((required >> c & 1) && parsed->clauses[c].idf < weakest_idf) {
          weakest = c;
          weakest_idf = parsed->clauses[c].idf;
        }
      }
      required &= ~(uint64_t{1} << weakest);
      response->relaxed = true;
      matching = count();
    }
    if (matching > 0 || !request.typo_tolerance || query_options.force_fuzzy) {
      break;
    }
    query_options.force_fuzzy = true;  // Then fuzzier: typos in every word.
    response->relaxed = true;
  }
  std::erase_if(candidates, [&](const Candidate& c) {
    return (c.matched & required) != required;
  });
  RankingParams ranking = options_.ranking;
  ranking.rerank_depth = std::max(ranking.rerank_depth, needed);
  RankCandidates(index_, *parsed, ranking, &candidates);
  response->corrected_query = parsed->corrected_query;
  return candidates;
}

void SearchEngine::Merchandise(
    const std::vector<const MerchandisingRule*>& rules,
    const CompiledFilters& filters, std::vector<Candidate>* ranked) const {
  absl::flat_hash_set<std::string> hidden;
  bool boosted = false;
  for (const MerchandisingRule* rule : rules) {
    hidden.insert(rule->hides.begin(), rule->hides.end());
    for (const MerchandisingRule::Boost& boost : rule->boosts) {
      for (Candidate& cand : *ranked) {
        if (HasValue(index_, index_.doc(cand.doc), boost)) {
          cand.score *= boost.multiplier;
          boosted = true;
        }
      }
    }
  }
  std::vector<std::pair<size_t, DocId>> pins;
  for (const MerchandisingRule* rule : rules) {
    for (const auto& [product_id, position] : rule->pins) {
      std::optional<DocId> doc = index_.FindDoc(product_id);
      if (!doc || hidden.contains(product_id) ||
          !filters.Matches(index_.doc(*doc))) {
        continue;
      }
      pins.emplace_back(position, *doc);
      hidden.insert(product_id);  // Taken out of its organic place.
    }
  }
  if (!hidden.empty()) {
    std::erase_if(*ranked, [&](const Candidate& c) {
      return hidden.contains(index_.doc(c.doc).product_id);
    });
  }
  if (boosted) {
    std::stable_sort(ranked->begin(), ranked->end(),
                     [](const Candidate& a, const Candidate& b) {
                       return a.score > b.score;
                     });
  }
  std::sort(pins.begin(), pins.end());
  for (const auto& [position, doc] : pins) {
    const size_t at = std::min(position - 1, ranked->size());
    ranked->insert(ranked->begin() + at, Candidate{doc, 0.0f, 0, 0.0f});
  }
}

SearchHit SearchEngine::MakeHit(
    const Candidate& cand, const absl::flat_hash_set<std::string>& terms) const {
  const DocInfo& doc = index_.doc(cand.doc);
  SearchHit hit{doc.product_id, cand.score, {}};
  for (const Token& token : analyzer_->Analyze(doc.title)) {
    if (!token.stop_word && terms.contains(token.term)) {
      hit.highlights.push_back(token.surface);
    }
  }
  return hit;
}

absl::StatusOr<SearchResponse> SearchEngine::Search(
    const SearchRequest& request) const {
  RETURN_IF_ERROR(Validate(request));
  absl::ReaderMutexLock lock(&mu_);
  SearchResponse response;
  const CompiledFilters filters(index_, request.filters);
  const std::string normalized = NormalizeText(request.query);
  std::vector<const MerchandisingRule*> rules;
  const int64_t now_ms = clock_->NowMillis();
  size_t pinned = 0;
  for (const MerchandisingRule& rule : rules_) {
    if (!rule.AppliesTo(normalized, now_ms)) continue;
    rules.push_back(&rule);
    pinned += rule.pins.size();
  }
  const size_t needed = request.page * request.per_page + pinned;
  ParsedQuery parsed;
  std::vector<Candidate> ranked =
      normalized.empty() ? Browse(filters, needed)
                         : Retrieve(request, filters, needed, &response, &parsed);
  if (!normalized.empty() && request.sort == SortOrder::kRelevance &&
      learning_.load(std::memory_order_acquire)) {
    ApplyLearned(parsed, QueryKey(request.query), &ranked, &response);
  }
  if (request.affinities) {
    Personalize(index_, *request.affinities, options_.personalization, &ranked);
  }
  if (request.sort != SortOrder::kRelevance) {
    auto key = [&](const Candidate& c) -> double {
      const DocInfo& d = index_.doc(c.doc);
      switch (request.sort) {
        case SortOrder::kPriceAsc: return -d.price;
        case SortOrder::kPriceDesc: return d.price;
        case SortOrder::kNewest: return static_cast<double>(d.created_at_ms);
        default: return d.popularity;
      }
    };
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](const Candidate& a, const Candidate& b) {
                       return key(a) > key(b);
                     });
  }
  Merchandise(rules, filters, &ranked);
  response.total = ranked.size();
  if (!request.facets.empty()) {
    std::vector<DocId> docs;
    docs.reserve(ranked.size());
    for (const Candidate& c : ranked) docs.push_back(c.doc);
    for (const std::string& name : request.facets) {
      response.facets.push_back(CountFacet(index_, *ParseFacetKind(name), docs,
                                           request.max_facet_values));
    }
  }
  absl::flat_hash_set<std::string> terms;
  for (const Clause& clause : parsed.clauses) {
    for (const Alternative& alt : clause.alternatives) {
      for (TermId t : alt.terms) terms.insert(index_.term_text(t));
    }
  }
  const size_t begin = (request.page - 1) * request.per_page;
  const size_t end = std::min(ranked.size(), begin + request.per_page);
  for (size_t i = begin; i < end; ++i) {
    response.hits.push_back(MakeHit(ranked[i], terms));
  }
  return response;
}

}  // namespace storepilot::search
