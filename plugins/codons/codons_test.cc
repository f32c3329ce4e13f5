// Loads the real codon256 and semantic plugins built into
// PROWL_PLUGIN_OUTPUT_DIR and round-trips through the host's CodonService.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "host/plugin_host/codon/codon_service.h"
#include "host/plugin_host/loader/registry.h"

namespace prowl::codon {
namespace {

std::vector<uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

class CodonPlugins : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registry_ = new plugins::Registry();
    for (const char* file : {"prowl-codon256.so", "prowl-semantic.so"}) {
      const auto& record = registry_->load_file(std::filesystem::path(PROWL_PLUGIN_OUTPUT_DIR) / file);
      ASSERT_TRUE(record.loaded) << file << ": " << record.refusal;
    }
  }
  static void TearDownTestSuite() {
    delete registry_;
    registry_ = nullptr;
  }

  static std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const CodonError& e) {
      return e.what();
    }
    return "no error";
  }

  /// Whether f throws a CodonError ending with the plugin's own message
  /// (the service prefixes it with its own context).
  static ::testing::AssertionResult fails_with(const std::function<void()>& f,
                                               std::string_view message) {
    const std::string error = error_of(f);
    if (error.ends_with(message) && error.size() > message.size())
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "error \"" << error << "\" does not end with \""
                                         << message << "\"";
  }

  static plugins::Registry* registry_;
};
plugins::Registry* CodonPlugins::registry_ = nullptr;

TEST_F(CodonPlugins, BothAreLoadedAsCodonEncoders) {
  ASSERT_NE(registry_->find(PROWL_KIND_CODON, "codon256"), nullptr);
  ASSERT_NE(registry_->find(PROWL_KIND_CODON, "semantic"), nullptr);
  EXPECT_EQ(registry_->find(PROWL_KIND_CODON, "codon256")->manifest().version, "1.0.0");
}

TEST_F(CodonPlugins, Codon256RoundTripsThroughTheService) {
  const CodonService service(*registry_);
  EXPECT_EQ(service.encode("codon256", {}), "");
  EXPECT_EQ(service.encode("codon256", bytes_of("hi")), "CGGACGGC");
  EXPECT_EQ(service.decode("codon256", "CGGACGGC\n"), bytes_of("hi"));

  std::vector<uint8_t> random(1 << 20);
  std::mt19937 rng(99);
  for (auto& b : random) b = static_cast<uint8_t>(rng());
  EXPECT_EQ(service.decode("codon256", service.encode("codon256", random)), random);
}

TEST_F(CodonPlugins, Codon256ErrorsNameThePosition) {
  const CodonService service(*registry_);
  EXPECT_TRUE(fails_with([&] { service.decode("codon256", "CGGACGXC"); },
                         ": invalid character 'X' at offset 6; expected A, C, G, T or whitespace"));
  EXPECT_TRUE(fails_with([&] { service.decode("codon256", "CGGACG"); },
                         ": incomplete codon at offset 4: 2 of 4 nucleotides (a codon256 "
                         "sequence holds 4 nucleotides per byte)"));
}

TEST_F(CodonPlugins, SemanticRoundTripsThroughTheService) {
  const CodonService service(*registry_);
  const std::string json =
      R"({"when":"IMMEDIATE","where":["MEMORY","PATTERN"],"how":"MERGE","why":"OPTIMIZE",)"
      R"("what":"WEIGHTS","order":"FIRST"})";
  const std::string codons = service.encode("semantic", bytes_of(json));
  EXPECT_EQ(codons, "ATGCGTTGAGTCTCGGGACCG");
  EXPECT_EQ(service.decode("semantic", codons), bytes_of(json));
}

TEST_F(CodonPlugins, SemanticErrorsReachTheCaller) {
  const CodonService service(*registry_);
  EXPECT_TRUE(fails_with([&] { service.decode("semantic", "ATGGTC"); },
                         ": at offset 3: HOW_MERGE (GTC) out of order; expected WHERE "
                         "(CGT=MEMORY TGA=PATTERN ACG=GENETIC)"));
  EXPECT_TRUE(fails_with([&] { service.encode("semantic", bytes_of(R"({"when":"NOW"})")); },
                         ": /when: unknown value \"NOW\"; allowed: IMMEDIATE, THRESHOLD, "
                         "PERIODIC"));
}

TEST_F(CodonPlugins, OutputLimitIsReported) {
  const CodonService service(*registry_, Limits{.max_output = 7});
  EXPECT_TRUE(fails_with([&] { service.encode("codon256", bytes_of("hi")); },
                         ": output limit reached"));
}

TEST_F(CodonPlugins, EncodersServeSeveralThreadsAtOnce) {
  const CodonService service(*registry_);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (size_t t = 0; t < ok.size(); ++t)
    threads.emplace_back([&, t] {
      std::vector<uint8_t> data(4096, static_cast<uint8_t>(t));
      int good = 0;
      for (int i = 0; i < 50; ++i) {
        good += service.decode("codon256", service.encode("codon256", data)) == data;
        good += service.encode("semantic", service.decode("semantic", "ATGCGTGTCGGA")) ==
                "ATGCGTGTCGGA";
      }
      ok[t] = good;
    });
  for (auto& thread : threads) thread.join();
  for (int good : ok) EXPECT_EQ(good, 100);
}

}  // namespace
}  // namespace prowl::codon
