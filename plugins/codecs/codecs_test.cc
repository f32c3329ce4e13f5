// The built codec plugins, loaded by the real registry and driven through
// the host's CodecService: framed round trips, strict and bounded decoding,
// and the auto codec's choice.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "host/plugin_host/codec/codec_service.h"
#include "host/plugin_host/codec/frame.h"
#include "host/plugin_host/loader/registry.h"
#include "plugins/codecs/common/test_data.h"

namespace prowl::codecs {
namespace {

using Bytes = std::vector<uint8_t>;
using codec::CodecError;
using codec::CodecService;

const std::filesystem::path kPluginDir = PROWL_CODEC_PLUGIN_DIR;
constexpr size_t kBig = 10 << 20;
const char* const kCodecs[] = {"zstd", "lz4", "gzip", "xz", "brotli"};

std::filesystem::path plugin_file(std::string_view codec) {
  return kPluginDir / ("prowl-codec-" + std::string(codec) + ".so");
}

// A registry holding the given codec plugins, with plugin config `config`.
std::unique_ptr<plugins::Registry> load(std::initializer_list<std::string_view> codecs,
                                        std::map<std::string, std::string> config = {}) {
  plugins::RegistryOptions options;
  options.config_lookup = [config](std::string_view key) -> std::optional<std::string> {
    auto it = config.find(std::string(key));
    if (it == config.end()) return std::nullopt;
    return it->second;
  };
  options.log = [](std::string_view, prowl_log_level, std::string_view) {};
  auto registry = std::make_unique<plugins::Registry>(std::move(options));
  for (std::string_view c : codecs) {
    const auto& record = registry->load_file(plugin_file(c));
    EXPECT_TRUE(record.loaded) << c << ": " << record.refusal;
  }
  return registry;
}

std::unique_ptr<plugins::Registry> load_all(std::map<std::string, std::string> config = {}) {
  return load({"lz4", "zstd", "gzip", "xz", "brotli", "auto"}, std::move(config));
}

Bytes text_bytes(size_t n) { return repetitive_text(n); }

codec::FrameHeader header_of(const Bytes& frame) {
  std::string error;
  auto header = codec::parse_frame_header(frame, &error);
  EXPECT_TRUE(header) << error;
  return header.value_or(codec::FrameHeader{});
}

// The frame's payload under a new header claiming `original` bytes.
Bytes reframe(const Bytes& frame, uint64_t original) {
  const auto h = header_of(frame);
  Bytes out = codec::encode_frame_header(h.codec, original);
  out.insert(out.end(), frame.begin() + static_cast<std::ptrdiff_t>(h.header_size), frame.end());
  return out;
}

// Decompress must throw, naming the codec.
void expect_rejected(const CodecService& service, const Bytes& frame, std::string_view codec) {
  try {
    service.decompress(frame);
    ADD_FAILURE() << "accepted a bad " << codec << " frame";
  } catch (const CodecError& e) {
    EXPECT_NE(std::string(e.what()).find(std::string(codec) + ": "), std::string::npos) << e.what();
  }
}

class CodecPluginTest : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() { registry_ = load_all().release(); }
  static void TearDownTestSuite() { delete registry_; }

  void round_trip(const Bytes& in, int32_t level = 0) {
    const Bytes frame = service_.compress(GetParam(), in, level);
    EXPECT_EQ(header_of(frame).codec, GetParam());
    EXPECT_EQ(header_of(frame).original_size, in.size());
    EXPECT_TRUE(service_.decompress(frame) == in);
  }
  // Level for 10 MiB inputs: brotli's default 11 and xz's default 6 need
  // seconds per MiB of this text.
  int32_t big_level() const {
    const std::string_view codec = GetParam();
    return codec == "brotli" ? 5 : codec == "xz" ? 1 : 0;
  }

  static plugins::Registry* registry_;
  CodecService service_{*registry_};
};
plugins::Registry* CodecPluginTest::registry_ = nullptr;

TEST_P(CodecPluginTest, RoundTripsEmptyAndSmall) {
  round_trip({});
  round_trip({'w', 'o', 'l', 'f'});
  round_trip(text_bytes(3000));
}

TEST_P(CodecPluginTest, RoundTripsBigRandom) {
  // xz spends about 0.6 s of CPU per MiB of random input at every preset.
  const bool xz = std::string_view(GetParam()) == "xz";
  round_trip(random_bytes(xz ? kBig / 5 : kBig, 3), big_level());
}

TEST_P(CodecPluginTest, RoundTrips10MiBCompressible) {
  const Bytes in = text_bytes(kBig);
  const Bytes frame = service_.compress(GetParam(), in, big_level());
  EXPECT_LT(frame.size(), in.size() / 4);
  EXPECT_TRUE(service_.decompress(frame) == in);
}

TEST_P(CodecPluginTest, RefusesAnOutOfRangeLevel) {
  try {
    service_.compress(GetParam(), text_bytes(100), 1000);
    ADD_FAILURE() << "level 1000 accepted";
  } catch (const CodecError& e) {
    EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
  }
}

TEST_P(CodecPluginTest, RejectsLyingLengths) {
  const Bytes in = text_bytes(30000);
  const Bytes frame = service_.compress(GetParam(), in);
  expect_rejected(service_, reframe(frame, in.size() + 1), GetParam());
  expect_rejected(service_, reframe(frame, in.size() - 1), GetParam());
  expect_rejected(service_, reframe(frame, 0), GetParam());
}

TEST_P(CodecPluginTest, RejectsTruncatedCorruptAndTrailingData) {
  const Bytes in = text_bytes(30000);
  const Bytes frame = service_.compress(GetParam(), in);
  const size_t header = header_of(frame).header_size;
  expect_rejected(service_, Bytes(frame.begin(), frame.end() - 1), GetParam());
  expect_rejected(service_, Bytes(frame.begin(), frame.begin() + header), GetParam());
  Bytes trailing = frame;
  trailing.push_back(0x42);
  expect_rejected(service_, trailing, GetParam());
  Bytes garbage(frame.begin(), frame.begin() + header);
  for (uint8_t b : random_bytes(2048, 9)) garbage.push_back(b);
  expect_rejected(service_, garbage, GetParam());
}

TEST_P(CodecPluginTest, BombStopsAtTheDeclaredSize) {
  const Bytes frame = service_.compress(GetParam(), Bytes(kBig, 0), big_level());
  expect_rejected(service_, reframe(frame, 4096), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Plugins, CodecPluginTest, ::testing::ValuesIn(kCodecs),
                         [](const auto& param_info) { return std::string(param_info.param); });

TEST(AutoPluginTest, RandomDataGoesToTheFastestCodec) {
  auto registry = load_all();
  CodecService service(*registry);
  for (size_t size : {size_t{20000}, kBig}) {
    const Bytes in = random_bytes(size, 5);
    const Bytes frame = service.compress("auto", in);
    EXPECT_EQ(header_of(frame).codec, "lz4");
    EXPECT_TRUE(service.decompress(frame) == in);
  }
}

TEST(AutoPluginTest, FramesNameTheWinnerAndDecodeWithoutAuto) {
  auto registry = load_all();
  const Bytes in = text_bytes(kBig);
  const Bytes frame = CodecService(*registry).compress("auto", in);
  const std::string winner = header_of(frame).codec;
  EXPECT_TRUE(winner == "lz4" || winner == "zstd" || winner == "brotli" || winner == "xz") << winner;
  EXPECT_LT(frame.size(), in.size() / 4);
  auto without_auto = load({"lz4", "zstd", "gzip", "xz", "brotli"});
  EXPECT_TRUE(CodecService(*without_auto).decompress(frame) == in);
}

TEST(AutoPluginTest, ASlowLinkPicksTheSmallestOutput) {
  // At 0.001 Mbit/s sending dominates: the winner is the candidate whose
  // output is smallest. The input fits one sample, so that is exact.
  auto registry = load_all({{"plugins.auto.link_mbit_per_s", "0.001"}});
  CodecService service(*registry);
  const Bytes in = text_bytes(60000);
  std::string smallest;
  size_t smallest_size = SIZE_MAX;
  for (const auto& [codec, level] : {std::pair{"lz4", 0}, {"zstd", 0}, {"brotli", 5}, {"xz", 1}}) {
    const size_t size = service.compress(codec, in, level).size() - std::strlen(codec);
    if (size < smallest_size) smallest = codec, smallest_size = size;
  }
  const Bytes frame = service.compress("auto", in);
  EXPECT_EQ(header_of(frame).codec, smallest);
  EXPECT_TRUE(service.decompress(frame) == in);
}

TEST(AutoPluginTest, EmptyInputRoundTrips) {
  auto registry = load_all();
  CodecService service(*registry);
  const Bytes frame = service.compress("auto", {});
  EXPECT_EQ(header_of(frame).codec, "lz4");
  EXPECT_TRUE(service.decompress(frame).empty());
}

TEST(AutoPluginTest, UsesOnlyLoadedCandidates) {
  auto registry = load({"gzip", "xz", "auto"});
  const Bytes frame = CodecService(*registry).compress("auto", random_bytes(5000, 1));
  EXPECT_EQ(header_of(frame).codec, "xz");
  auto none = load({"gzip", "auto"});
  EXPECT_THROW(CodecService(*none).compress("auto", text_bytes(100)), CodecError);
}

TEST(AutoPluginTest, RefusesLevelsAndBadConfig) {
  auto registry = load_all();
  EXPECT_THROW(CodecService(*registry).compress("auto", text_bytes(100), 3), CodecError);
  plugins::RegistryOptions options;
  options.config_lookup = [](std::string_view key) -> std::optional<std::string> {
    if (key == "plugins.auto.link_mbit_per_s") return "fast";
    return std::nullopt;
  };
  options.log = [](std::string_view, prowl_log_level, std::string_view) {};
  plugins::Registry bad(std::move(options));
  const auto& record = bad.load_file(plugin_file("auto"));
  EXPECT_FALSE(record.loaded);
  EXPECT_NE(record.refusal.find("link_mbit_per_s"), std::string::npos) << record.refusal;
}

}  // namespace
}  // namespace prowl::codecs
