// Fuzzes the compression frame: the header parser must never crash and must
// agree with the encoder; whole frames also go through CodecService with the
// real codec plugins of the build (when built) under a small output limit,
// where every failure must be a CodecError, never a crash or a bomb.
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "host/plugin_host/codec/codec_service.h"
#include "host/plugin_host/codec/frame.h"

namespace {

const prowl::codec::CodecService* service() {
  static std::unique_ptr<prowl::plugins::Registry> registry;
  static std::unique_ptr<prowl::codec::CodecService> codecs;
  if (!registry) {
    registry = std::make_unique<prowl::plugins::Registry>();
    std::error_code ec;
    if (std::filesystem::is_directory(PROWL_FUZZ_PLUGIN_DIR, ec)) {
      registry->load_directory(PROWL_FUZZ_PLUGIN_DIR);
    }
    codecs = std::make_unique<prowl::codec::CodecService>(*registry,
                                                          prowl::codec::Limits{1 << 20});
  }
  return codecs.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::codec;
  std::span<const uint8_t> frame(data, size);
  std::string error;
  auto header = parse_frame_header(frame, &error);
  if (header) {
    auto again = encode_frame_header(header->codec, header->original_size);
    if (again.size() != header->header_size || !std::equal(again.begin(), again.end(), data))
      std::abort();
  } else if (error.empty()) {
    std::abort();
  }
  try {
    auto out = service()->decompress(frame);
    if (!header || out.size() != header->original_size) std::abort();
  } catch (const CodecError&) {
  }
  return 0;
}
