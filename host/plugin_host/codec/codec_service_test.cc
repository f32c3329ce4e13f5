// CodecService over the shipped codec plugins of the build: which frames a
// decompression with an expected codec accepts, and what it says when the
// frame's codec is not loaded.
#include "host/plugin_host/codec/codec_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "host/plugin_host/codec/frame.h"

namespace prowl::codec {
namespace {

using Bytes = std::vector<uint8_t>;

// A registry holding the shipped codec plugins named in `codecs`.
std::unique_ptr<plugins::Registry> load(std::initializer_list<std::string_view> codecs) {
  plugins::RegistryOptions options;
  options.log = [](std::string_view, prowl_log_level, std::string_view) {};
  auto registry = std::make_unique<plugins::Registry>(std::move(options));
  for (std::string_view codec : codecs) {
    const auto& record = registry->load_file(std::filesystem::path(PROWL_PLUGIN_OUTPUT_DIR) /
                                             ("prowl-codec-" + std::string(codec) + ".so"));
    EXPECT_TRUE(record.loaded) << codec << ": " << record.refusal;
  }
  return registry;
}

Bytes text(size_t n) {
  const std::string line = "the quick brown fox jumps over the lazy dog 0123456789\n";
  Bytes out;
  while (out.size() < n) out.insert(out.end(), line.begin(), line.end());
  out.resize(n);
  return out;
}

std::string codec_of(const Bytes& frame) {
  std::string error;
  auto header = parse_frame_header(frame, &error);
  EXPECT_TRUE(header) << error;
  return header ? header->codec : std::string();
}

Bytes decompress(const CodecService& service, const Bytes& frame, std::string_view expect) {
  plugins::OutputBuffer out;
  service.decompress_into(frame, out, expect);
  return out.to_vector();
}

std::string error_of(const CodecService& service, const Bytes& frame, std::string_view expect) {
  try {
    decompress(service, frame, expect);
  } catch (const CodecError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted the frame expecting '" << expect << "'";
  return {};
}

TEST(CodecServiceTest, AutoOnBothSidesRoundTrips) {
  auto registry = load({"lz4", "zstd", "auto"});
  CodecService service(*registry);
  const Bytes in = text(64 << 10);
  const Bytes frame = service.compress(kAnyCodec, in);
  const std::string picked = codec_of(frame);
  EXPECT_TRUE(picked == "lz4" || picked == "zstd") << picked;
  EXPECT_EQ(decompress(service, frame, kAnyCodec), in);
  EXPECT_EQ(decompress(service, frame, picked), in);
  EXPECT_EQ(decompress(service, frame, {}), in);
}

TEST(CodecServiceTest, AnExpectedCodecRefusesAnotherCodecsFrame) {
  auto registry = load({"lz4", "zstd"});
  CodecService service(*registry);
  const Bytes frame = service.compress("lz4", text(1000));
  EXPECT_EQ(error_of(service, frame, "zstd"), "the frame was written by codec 'lz4', not 'zstd'");
  // The check comes before the codec lookup: a name nobody loaded is refused the same way.
  EXPECT_EQ(error_of(service, frame, "brotli"), "the frame was written by codec 'lz4', not 'brotli'");
}

TEST(CodecServiceTest, AutoRefusesAFrameWhoseCodecIsNotLoaded) {
  auto writer = load({"zstd"});
  const Bytes frame = CodecService(*writer).compress("zstd", text(1000));
  auto reader = load({"lz4", "auto"});
  CodecService service(*reader);
  EXPECT_EQ(error_of(service, frame, kAnyCodec),
            "no codec named 'zstd' is loaded (loaded: lz4, auto)");
  EXPECT_EQ(error_of(service, frame, {}), "no codec named 'zstd' is loaded (loaded: lz4, auto)");
}

}  // namespace
}  // namespace prowl::codec
