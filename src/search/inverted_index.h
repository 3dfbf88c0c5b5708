#ifndef STOREPILOT_SEARCH_INVERTED_INDEX_H_
#define STOREPILOT_SEARCH_INVERTED_INDEX_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "search/analyzer.h"
#include "search/fields.h"
#include "search/lexicon.h"
#include "search/product.h"
#include "search/value_pool.h"

namespace storepilot::search {

using DocId = uint32_t;
using TermId = uint32_t;
inline constexpr TermId kNoTermId = 0xFFFFFFFF;

// One (document, field) occurrence list of a term.
struct Posting {
  DocId doc;
  uint32_t positions_begin;  // Into TermPostings::positions; `tf` entries.
  uint16_t tf;
  uint8_t field;  // A Field.
};

// Postings sorted by (doc, field); may hold deleted documents until Compact().
struct TermPostings {
  std::vector<Posting> postings;
  std::vector<uint16_t> positions;
  uint32_t doc_freq = 0;  // Live documents containing the term.
};

// What ranking, filters and facets need of one indexed product.
struct DocInfo {
  std::string product_id;
  std::string title;  // For highlights.
  bool live = false;
  std::array<uint16_t, kFieldCount> field_length{};  // Indexed words.
  std::vector<TermId> terms;        // Distinct terms, for deletes.
  std::vector<TermId> title_terms;  // Title in order; kNoTermId = stop-word.
  uint32_t brand = kNoTermId;       // Value ids in the facet pools.
  uint32_t product_type = kNoTermId;
  std::vector<uint32_t> categories;  // Path, broadest first.
  std::vector<uint32_t> tags;
  std::vector<uint32_t> attributes;
  double price = 0.0;
  bool in_stock = true;
  int64_t created_at_ms = 0;
  double popularity = 0.0;
};

// An in-memory inverted index with positions and per-field statistics,
// updated in place: Upsert/Remove are visible to the next read. Deleted and
// replaced documents leave tombstones that Compact() purges. Not thread-safe:
// the owner serialises writers against readers (SearchEngine does).
class InvertedIndex {
 public:
  // `analyzer` is not owned and must outlive the index.
  explicit InvertedIndex(const Analyzer* analyzer);

  // Adds `product`, replacing any product with the same id. Returns
  // InvalidArgument for an empty id.
  absl::Status Upsert(const Product& product);
  // Removes a product; returns false if the id is unknown.
  bool Remove(std::string_view product_id);
  // Purges postings of deleted documents (doc ids stay stable).
  void Compact();
  // Updates a live document's popularity in place (no re-indexing).
  void SetPopularity(DocId id, double popularity) { docs_[id].popularity = popularity; }

  std::optional<TermId> FindTerm(std::string_view term) const;
  const TermPostings& postings(TermId term) const { return terms_[term]; }
  const std::string& term_text(TermId term) const { return term_text_[term]; }
  const Lexicon& lexicon() const { return lexicon_; }
  const Analyzer& analyzer() const { return *analyzer_; }

  std::optional<DocId> FindDoc(std::string_view product_id) const;
  const DocInfo& doc(DocId id) const { return docs_[id]; }
  // Per-document field lengths and liveness in compact arrays, for scoring
  // loops that touch many documents.
  const std::array<uint16_t, kFieldCount>& field_lengths(DocId id) const {
    return field_lengths_[id];
  }
  bool live(DocId id) const { return live_[id] != 0; }
  size_t doc_capacity() const { return docs_.size(); }
  uint32_t live_docs() const { return live_docs_; }
  size_t dead_docs() const { return dead_postings_docs_; }
  double AverageFieldLength(Field field) const;

  // The value ids of `kind` that document `id` carries (compact storage
  // for facet counting over large result sets).
  std::span<const uint32_t> facet_values(FacetKind kind, DocId id) const {
    const FacetColumn& column = facet_columns_[static_cast<size_t>(kind)];
    return {column.values.data() + column.offsets[id],
            column.offsets[id + 1] - column.offsets[id]};
  }

  const ValuePool& pool(FacetKind kind) const {
    return pools_[static_cast<size_t>(kind)];
  }

  // Approximate heap bytes held by the index.
  size_t MemoryBytes() const;

 private:
  TermId InternTerm(const std::string& term);
  // The term of a normalised word, kNoTermId for a stop-word.
  TermId WordTerm(std::string word);
  // Indexes the texts of one field (several values get a position gap).
  void IndexField(DocId doc, Field field,
                  const std::vector<std::string_view>& texts, DocInfo* info);
  void FillFacets(const Product& product, DocInfo* info);

  const Analyzer* analyzer_;
  absl::flat_hash_map<std::string, TermId> term_ids_;
  std::vector<std::string> term_text_;
  std::vector<TermPostings> terms_;
  Lexicon lexicon_;
  std::vector<DocInfo> docs_;
  std::vector<std::array<uint16_t, kFieldCount>> field_lengths_;  // By doc.
  std::vector<uint8_t> live_;                                     // By doc.
  // Facet value ids by doc, in compressed-row form (docs are only appended).
  struct FacetColumn {
    std::vector<uint32_t> offsets = {0};
    std::vector<uint32_t> values;
  };
  std::array<FacetColumn, kFacetKindCount> facet_columns_;
  // Normalised word -> its term (stop-words excluded): the stem of a word
  // seen before is not computed again.
  absl::flat_hash_map<std::string, TermId> word_terms_;
  absl::flat_hash_map<std::string, DocId> doc_ids_;  // Live products only.
  std::array<ValuePool, kFacetKindCount> pools_;
  std::array<uint64_t, kFieldCount> total_field_length_{};
  uint32_t live_docs_ = 0;
  size_t dead_postings_docs_ = 0;  // Tombstones not yet compacted.
};

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_INVERTED_INDEX_H_
