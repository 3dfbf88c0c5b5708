#include "search/query_builder.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

QueryOptions Complete() {
  QueryOptions options;
  options.prefix_last_word = false;
  return options;
}

QueryOptions Fuzzier() {
  QueryOptions options = Complete();
  options.force_fuzzy = true;
  return options;
}

class QueryBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    analyzer_ = *Analyzer::Create(AnalyzerOptions());
    index_ = std::make_unique<InvertedIndex>(analyzer_.get());
    int id = 0;
    for (const char* title :
         {"stone fountain", "garden fountain", "sofabed in grey", "sofa",
          "bed frame", "twin xl sheets", "bedroom bench", "bench", "mountain art"}) {
      Product p;
      p.id = std::to_string(id++);
      p.title = title;
      ASSERT_TRUE(index_->Upsert(p).ok());
    }
  }
  ParsedQuery Build(const std::string& query, QueryOptions options = {}) {
    return BuildQuery(*index_, &synonyms_, query, options);
  }
  bool HasAlternative(const Clause& clause, const std::string& text) {
    for (const Alternative& alt : clause.alternatives) {
      if (alt.text == text) return true;
    }
    return false;
  }
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<InvertedIndex> index_;
  SynonymSet synonyms_;
};

TEST_F(QueryBuilderTest, CorrectsTyposOnlyForLongEnoughUnknownWords) {
  ParsedQuery q = Build("foutain", Complete());
  ASSERT_EQ(q.clauses.size(), 1u);
  EXPECT_FALSE(q.clauses[0].known);
  ASSERT_FALSE(q.clauses[0].alternatives.empty());
  EXPECT_EQ(q.clauses[0].alternatives[0].text, "fountain");
  EXPECT_EQ(q.clauses[0].alternatives[0].typos, 1);
  EXPECT_EQ(q.corrected_query, "fountain");
  // Three letters: no typo allowed ("bxd" is not "bed").
  EXPECT_TRUE(Build("bxd", Complete()).clauses[0].alternatives.empty());
  // Four to seven letters: one edit, not two.
  // Eight letters and more: two edits.
  EXPECT_FALSE(Build("founntian", Complete()).clauses[0].alternatives.empty());
  EXPECT_FALSE(Build("bnech", Complete()).clauses[0].alternatives.empty());
  EXPECT_TRUE(Build("bnehc", Complete()).clauses[0].alternatives.empty());
}

TEST_F(QueryBuilderTest, PrefersExactWords) {
  // "bench" is indexed, so its neighbours are not offered as typos.
  ParsedQuery q = Build("bench", Complete());
  ASSERT_EQ(q.clauses[0].alternatives.size(), 1u);
  EXPECT_EQ(q.clauses[0].alternatives[0].typos, 0);
  EXPECT_TRUE(q.corrected_query.empty());
  // Unless a fuzzier pass is asked for.
  ParsedQuery fuzzy = Build("fountain", Fuzzier());
  EXPECT_TRUE(HasAlternative(fuzzy.clauses[0], "mountain"));
  EXPECT_EQ(fuzzy.clauses[0].alternatives[0].weight, 1.0f);
}

TEST_F(QueryBuilderTest, CompletesOnlyTheLastWord) {
  ParsedQuery q = Build("garden ben");
  ASSERT_EQ(q.clauses.size(), 2u);
  EXPECT_TRUE(HasAlternative(q.clauses[1], "bench"));
  EXPECT_TRUE(q.clauses[1].alternatives[0].prefix);
  EXPECT_LT(q.clauses[1].alternatives[0].weight, 1.0f);
  ParsedQuery known = Build("garden bed");
  EXPECT_EQ(known.clauses[1].alternatives[0].weight, 1.0f);  // Exact first.
  EXPECT_TRUE(HasAlternative(known.clauses[1], "bedroom"));
  EXPECT_FALSE(HasAlternative(Build("bed garden").clauses[0], "bedroom"));
  // A trailing space means the word is finished.
  EXPECT_FALSE(HasAlternative(Build("garden bed ").clauses[1], "bedroom"));
}

TEST_F(QueryBuilderTest, SplitsAndJoinsCompounds) {
  // "sofabed" is indexed: "sofa bed" also offers it, on both words.
  ParsedQuery joined = Build("sofa bed", Complete());
  EXPECT_TRUE(HasAlternative(joined.clauses[0], "sofabed"));
  EXPECT_TRUE(HasAlternative(joined.clauses[1], "sofabed"));
  // "bedframe" is not: it splits into "bed" + "frame".
  ParsedQuery split = Build("bedframe", Complete());
  EXPECT_TRUE(HasAlternative(split.clauses[0], "bed frame"));
  EXPECT_EQ(split.clauses[0].alternatives[0].terms.size(), 2u);
  ParsedQuery twin = Build("twinxl sheets", Complete());
  EXPECT_TRUE(HasAlternative(twin.clauses[0], "twin xl"));
}

TEST_F(QueryBuilderTest, ExpandsSynonyms) {
  ASSERT_TRUE(synonyms_.AddEquivalent({"couch", "sofa"}).ok());
  ParsedQuery q = Build("grey couch", Complete());
  ASSERT_EQ(q.clauses.size(), 2u);
  EXPECT_FALSE(q.clauses[1].known);
  EXPECT_TRUE(HasAlternative(q.clauses[1], "sofa"));
}

TEST_F(QueryBuilderTest, DropsStopWordsAndMarksTheHead) {
  ParsedQuery q = Build("sheets for the twin", Complete());
  ASSERT_EQ(q.clauses.size(), 2u);
  EXPECT_TRUE(q.clauses[0].head);  // Before the preposition.
  EXPECT_FALSE(q.clauses[1].head);
  EXPECT_GT(q.clauses[0].weight, 1.0f);
  ParsedQuery last = Build("stone garden fountain", Complete());
  EXPECT_TRUE(last.clauses[2].head);
  // A size is not the head.
  ParsedQuery sized = Build("garden bench 48x20", Complete());
  EXPECT_TRUE(sized.clauses[1].head);
  EXPECT_FALSE(sized.clauses[2].head);
  // A query of stop-words only keeps them.
  EXPECT_EQ(Build("the", Complete()).clauses.size(), 1u);
  EXPECT_TRUE(Build("").clauses.empty());
}

TEST_F(QueryBuilderTest, IdfRanksRareWordsHigher) {
  ParsedQuery q = Build("stone fountain", Complete());
  EXPECT_GT(q.clauses[0].idf, q.clauses[1].idf);
}

}  // namespace
}  // namespace storepilot::search
