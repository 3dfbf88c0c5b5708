#include "search/analyzer.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

std::unique_ptr<Analyzer> English() {
  absl::StatusOr<std::unique_ptr<Analyzer>> analyzer =
      Analyzer::Create(AnalyzerOptions());
  EXPECT_TRUE(analyzer.ok()) << analyzer.status();
  return *std::move(analyzer);
}

TEST(Analyzer, StemsEnglishWordsToSharedTerms) {
  auto analyzer = English();
  EXPECT_EQ(analyzer->Stem("bookcases"), analyzer->Stem("bookcase"));
  EXPECT_EQ(analyzer->Stem("lamps"), "lamp");
  EXPECT_EQ(analyzer->Stem("running"), "run");
  EXPECT_NE(analyzer->Stem("bed"), analyzer->Stem("bedroom"));
  // Short words and words with digits are left alone.
  EXPECT_EQ(analyzer->Stem("xl"), "xl");
  EXPECT_EQ(analyzer->Stem("2nd"), "2nd");
}

TEST(Analyzer, MarksStopWordsAndKeepsPositions) {
  auto analyzer = English();
  std::vector<Token> tokens = analyzer->Analyze("Sheets for the Twin Beds");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].surface, "sheets");
  EXPECT_EQ(tokens[0].term, "sheet");
  EXPECT_TRUE(tokens[1].stop_word);
  EXPECT_TRUE(tokens[2].stop_word);
  EXPECT_FALSE(tokens[3].stop_word);
  EXPECT_EQ(tokens[4].term, "bed");
  EXPECT_EQ(tokens[4].position, 4u);
}

TEST(Analyzer, NoneDisablesStemming) {
  AnalyzerOptions options;
  options.language = "none";
  auto analyzer = Analyzer::Create(options);
  ASSERT_TRUE(analyzer.ok());
  EXPECT_EQ((*analyzer)->Stem("bookcases"), "bookcases");
}

TEST(Analyzer, OtherLanguagesComeFromLibstemmer) {
  AnalyzerOptions options;
  options.language = "german";
  auto analyzer = Analyzer::Create(options);
  ASSERT_TRUE(analyzer.ok());
  EXPECT_EQ((*analyzer)->Stem("tische"), (*analyzer)->Stem("tisch"));
}

TEST(Analyzer, RejectsUnknownLanguage) {
  AnalyzerOptions options;
  options.language = "klingon";
  EXPECT_EQ(Analyzer::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace storepilot::search
