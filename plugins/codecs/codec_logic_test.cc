// The codec logic libraries, called directly as their plugins call them:
// small round trips, levels, exact statuses, and bounded, strict decoding.
// codecs_test.cc covers the big inputs through the real plugins.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plugins/codecs/brotli/brotli_codec.h"
#include "plugins/codecs/common/test_data.h"
#include "plugins/codecs/gzip/gzip_codec.h"
#include "plugins/codecs/lz4/lz4_codec.h"
#include "plugins/codecs/xz/xz_codec.h"
#include "plugins/codecs/zstd/zstd_codec.h"

namespace prowl::codecs {
namespace {

using Bytes = std::vector<uint8_t>;

struct CodecCase {
  std::string name;
  std::function<std::unique_ptr<Codec>()> make;
  int32_t min_level;
  int32_t max_level;  // the highest level tested (xz 9 needs 674 MiB to encode)
  int32_t bad_level;  // a level the codec must refuse
};

std::ostream& operator<<(std::ostream& os, const CodecCase& c) { return os << c.name; }

std::vector<CodecCase> codec_cases() {
  return {
      {"zstd", [] { return std::make_unique<ZstdCodec>(); }, ZstdCodec::min_level(),
       ZstdCodec::max_level(), ZstdCodec::max_level() + 1},
      {"lz4", [] { return std::make_unique<Lz4Codec>(); }, Lz4Codec::kMinLevel, Lz4Codec::kMaxLevel,
       13},
      {"gzip", [] { return std::make_unique<GzipCodec>(); }, GzipCodec::kMinLevel,
       GzipCodec::kMaxLevel, -1},
      {"xz", [] { return std::make_unique<XzCodec>(); }, XzCodec::kMinLevel, 6, 10},
      {"brotli", [] { return std::make_unique<BrotliCodec>(); }, BrotliCodec::kMinLevel,
       BrotliCodec::kMaxLevel, 12},
  };
}

struct Outcome {
  prowl_status status = PROWL_OK;
  std::string message;
  Bytes bytes;
};

Outcome run(const std::function<void(Output&)>& call, size_t limit) {
  VectorWriter writer(limit);
  Output out(writer.writer());
  Outcome o;
  try {
    call(out);
  } catch (const Error& e) {
    o.status = e.status();
    o.message = e.what();
  }
  EXPECT_LE(writer.size(), limit);
  o.bytes = writer.take();
  return o;
}

Bytes text_bytes(size_t n) { return repetitive_text(n); }

class CodecLogicTest : public ::testing::TestWithParam<CodecCase> {
 protected:
  void SetUp() override { codec_ = GetParam().make(); }

  Bytes compress(const Bytes& in, int32_t level = 0) {
    std::string used;
    Outcome o = run([&](Output& out) { used = codec_->compress(in, level, out); }, SIZE_MAX);
    EXPECT_EQ(o.status, PROWL_OK) << o.message;
    EXPECT_EQ(used, GetParam().name);
    return o.bytes;
  }
  Outcome decompress(const Bytes& in, size_t original) {
    return run([&](Output& out) { codec_->decompress(in, original, out); }, original);
  }
  void expect_invalid(const Outcome& o) {
    EXPECT_EQ(o.status, PROWL_ERR_INVALID_INPUT);
    EXPECT_EQ(o.message.rfind(GetParam().name + ": ", 0), 0u) << o.message;
  }
  void round_trip(const Bytes& in, int32_t level) {
    const Bytes packed = compress(in, level);
    const Outcome o = decompress(packed, in.size());
    ASSERT_EQ(o.status, PROWL_OK) << o.message;
    EXPECT_TRUE(o.bytes == in);
  }

  std::unique_ptr<Codec> codec_;
};

TEST_P(CodecLogicTest, RoundTripsEmptyAndSmall) {
  round_trip({}, 0);
  round_trip({'x'}, 0);
  round_trip(text_bytes(1000), 0);
}

TEST_P(CodecLogicTest, EveryLevelInRangeWorksAndOthersAreRefused) {
  const Bytes in = text_bytes(5000);
  for (int32_t level : {GetParam().min_level, GetParam().max_level}) round_trip(in, level);
  const Outcome o =
      run([&](Output& out) { codec_->compress(in, GetParam().bad_level, out); }, SIZE_MAX);
  expect_invalid(o);
  EXPECT_NE(o.message.find("out of range"), std::string::npos) << o.message;
}

TEST_P(CodecLogicTest, CompressIntoATooSmallWriterIsALimit) {
  const Bytes in = text_bytes(5000);
  const Outcome o = run([&](Output& out) { codec_->compress(in, 0, out); }, 100);
  EXPECT_EQ(o.status, PROWL_ERR_LIMIT);
  EXPECT_NE(o.message.find(GetParam().name), std::string::npos) << o.message;
}

TEST_P(CodecLogicTest, RejectsTruncatedStreams) {
  const Bytes in = text_bytes(20000);
  const Bytes packed = compress(in);
  for (size_t keep : {size_t{0}, size_t{1}, packed.size() / 2, packed.size() - 1}) {
    SCOPED_TRACE(keep);
    expect_invalid(decompress(Bytes(packed.begin(), packed.begin() + keep), in.size()));
  }
}

TEST_P(CodecLogicTest, RejectsTrailingGarbage) {
  const Bytes in = text_bytes(20000);
  Bytes packed = compress(in);
  packed.push_back(0);
  expect_invalid(decompress(packed, in.size()));
  packed.back() = 0x5a;
  packed.push_back(0x17);
  expect_invalid(decompress(packed, in.size()));
}

TEST_P(CodecLogicTest, RejectsGarbage) {
  expect_invalid(decompress(random_bytes(4096, 7), 10000));
  expect_invalid(decompress(Bytes(4096, 0xff), 10000));
}

TEST_P(CodecLogicTest, RejectsLyingLengths) {
  const Bytes in = text_bytes(20000);
  const Bytes packed = compress(in);
  expect_invalid(decompress(packed, in.size() + 1));
  expect_invalid(decompress(packed, in.size() - 1));
  expect_invalid(decompress(packed, 0));
}

TEST_P(CodecLogicTest, BombStopsAtTheClaimedSize) {
  // 1 MiB of zeros claimed as 4 KiB: the decoder must stop at 4 KiB.
  const Bytes packed = compress(Bytes(1 << 20, 0));
  const Outcome o = decompress(packed, 4096);
  expect_invalid(o);
  EXPECT_LE(o.bytes.size(), 4096u);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecLogicTest, ::testing::ValuesIn(codec_cases()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace prowl::codecs
